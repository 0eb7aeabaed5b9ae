/**
 * Firebase's REST API: {@code GET/PUT/PATCH/POST/DELETE /<path>.json}, its query parameters, ETags and
 * {@code {"error": ...}} replies. Parsing and reply building are plain functions (unit-tested without a server);
 * {@link io.canopy.gateway.rest.RestHandler} is the only Vert.x glue. Reads go through the pusher, writes through
 * the write log; there are no business rules here.
 */
package io.canopy.gateway.rest;
