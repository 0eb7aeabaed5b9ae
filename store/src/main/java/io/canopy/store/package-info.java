/**
 * The {@link io.canopy.store.TreeStore} SPI, its checkpoint and batch types, and {@link
 * io.canopy.store.StoreException} for backend failures. No driver imports: the implementations live in
 * {@code .rocksdb} and {@code .mongo} (sharing {@code .support}) and only {@code server} picks one.
 */
package io.canopy.store;
