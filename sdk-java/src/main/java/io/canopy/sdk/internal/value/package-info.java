/**
 * Conversion between user values (plain Java values, POJOs and records through Jackson) and the core trees. The only
 * place that knows how user objects map to data.
 */
package io.canopy.sdk.internal.value;
