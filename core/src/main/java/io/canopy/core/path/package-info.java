/** Paths, key validation and Firebase key order. No tree types live here. */
package io.canopy.core.path;
