package io.canopy.pusher;

import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;

/**
 * Queued to a session when one of its listens is no longer allowed (the rules or the credential changed): the
 * listen is already gone; the gateway tells the client ({@code c} over WebSocket, {@code cancel} over SSE).
 *
 * @param query the listen's query ({@link QuerySpec#DEFAULT} for a default listen)
 * @param tag the listen's tag, null for default listens
 */
public record ListenRevoked(String namespace, Path path, QuerySpec query, Long tag) {}
