/**
 * Firebase's REST API: {@code GET/PUT/PATCH/POST/DELETE /<path>.json}, its query parameters (queries evaluated
 * with {@code core.query}, the code the realtime views use), credentials (verified by the
 * gateway's {@code TokenVerifier}; rules not enforced yet), ETags and
 * {@code {"error": ...}} replies, and streaming listens ({@code Accept: text/event-stream}) as pusher sessions.
 * Parsing and reply building are plain functions (unit-tested without a server);
 * {@link io.canopy.gateway.rest.RestHandler} and the stream classes are the Vert.x glue, and the event frames
 * themselves live in {@code io.canopy.gateway.sse}. Reads and streams go through the pusher, writes through the
 * write log; there are no business rules here.
 */
package io.canopy.gateway.rest;
