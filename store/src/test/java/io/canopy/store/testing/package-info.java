/**
 * The {@link io.canopy.store.TreeStore} conformance suite, shipped as {@code canopy-store:test-jar}: extend
 * {@link io.canopy.store.testing.TreeStoreConformance}, supply the store, and the implementation is held to the
 * SPI contract. Test code only: no implementation-specific tests or fixtures (those live beside each
 * implementation's test class), and nothing here may be used by production code.
 */
package io.canopy.store.testing;
