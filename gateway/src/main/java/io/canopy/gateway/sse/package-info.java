/**
 * Server-sent events for Firebase's REST streaming ({@code Accept: text/event-stream}): the response head, the
 * event frames ({@code put}, {@code patch}, {@code keep-alive}, {@code cancel}, {@code auth_revoked}) and the
 * keep-alive timer. Formatting and keep-alive only: which events a stream gets, and when, is decided by the
 * REST layer ({@code io.canopy.gateway.rest}) from the pusher's data pushes.
 */
package io.canopy.gateway.sse;
