/**
 * {@link io.canopy.store.rocksdb.RocksDbTreeStore}, the embedded default store, with its key, value and checkpoint
 * codecs: materialized paths as sorted RocksDB keys, one atomic, synced {@code WriteBatch} per flush. Only RocksDB
 * code lives here; nothing outside this module and {@code server} may import it (others use the
 * {@link io.canopy.store.TreeStore} SPI), and no other store's driver may appear here.
 */
package io.canopy.store.rocksdb;
