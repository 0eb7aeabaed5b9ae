/**
 * {@link io.canopy.store.mongo.MongoTreeStore}, the clustered store: materialized paths in MongoDB (one database
 * per namespace, one document per node, range scans on {@code _id}, child lookups on the parent-path index, one
 * ordered bulk write per namespace and flush). Only MongoDB driver code lives here; nothing outside this module
 * and {@code server} may import it (others use the {@link io.canopy.store.TreeStore} SPI).
 */
package io.canopy.store.mongo;
