/** Test fixtures of the server module: an HTTP client for the REST API, free ports, the jar as a child process. */
package io.canopy.server.testing;
