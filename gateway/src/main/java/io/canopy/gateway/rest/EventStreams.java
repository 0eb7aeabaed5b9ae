package io.canopy.gateway.rest;

import io.canopy.core.path.Path;
import io.canopy.core.query.QuerySpec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The REST event streams open on this gateway, and the hooks that end them. Security rules (a later issue) use
 * them: when a stream's read permission is lost they {@link Stream#cancel cancel} it with {@value #PERMISSION_DENIED},
 * when its credential is revoked they call {@link Stream#revokeAuth}. A stream whose ID token carries an
 * {@code exp} claim gets {@code auth_revoked} when it passes, without any hook. Thread-safe.
 */
public final class EventStreams {
  /** The {@code cancel} message of a stream whose read permission was lost. */
  public static final String PERMISSION_DENIED = "Permission denied.";
  /** The {@code cancel} message of an event over the stream's size limit (Firebase: broadcasts over 512 MB). */
  public static final String PAYLOAD_TOO_LARGE =
      "The specified payload is too large, please request a location with less data.";
  /** The {@code auth_revoked} message when the credential's expiry passes. */
  public static final String CREDENTIAL_EXPIRED = "credential is no longer valid";

  /** One open stream, as the hooks see it. */
  public interface Stream {
    String namespace();

    /** The streamed location. */
    Path path();

    /** The stream's query, or null for a plain listen. */
    QuerySpec query();

    /** The credential the stream was opened with. */
    Credential credential();

    /** Sends {@code cancel} with {@code message} after what is already queued, then ends the stream. */
    void cancel(String message);

    /** Sends {@code auth_revoked} with {@code message} after what is already queued, then ends the stream. */
    void revokeAuth(String message);
  }

  private final Set<Stream> open = ConcurrentHashMap.newKeySet();

  /** How many streams are open (past their first event). */
  public int size() {
    return open.size();
  }

  /** Visits every open stream (a snapshot: streams may close meanwhile, which makes the hooks no-ops). */
  public void forEach(Consumer<? super Stream> action) {
    for (Stream s : Set.copyOf(open)) {
      action.accept(s);
    }
  }

  void add(Stream s) {
    open.add(s);
  }

  void remove(Stream s) {
    open.remove(s);
  }
}
