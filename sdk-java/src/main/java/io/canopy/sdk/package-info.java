/**
 * Canopy's Java client SDK: the public API. Start with {@link io.canopy.sdk.Canopy#connect(String)}, then read,
 * write and listen through {@link io.canopy.sdk.DatabaseReference} and {@link io.canopy.sdk.Query}. Everything else
 * (the {@code internal} packages) is implementation and may change without notice; no public signature here names an
 * internal or {@code core} type.
 *
 * <p>Threading: every callback and every returned future completes on the client's single event thread (see
 * {@link io.canopy.sdk.CanopyClient}).
 */
package io.canopy.sdk;
