package io.canopy.acceptance.testing;

import com.google.api.core.ApiFuture;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.database.DatabaseError;
import com.google.firebase.database.DatabaseReference;
import com.google.firebase.database.FirebaseDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Official Java {@code firebase-admin} apps pointed at a Canopy server the emulator way: the database URL
 * {@code http://127.0.0.1:PORT?ns=NAME} (the SDK then sends {@code gauth} with {@code owner}) and a stub
 * {@link GoogleCredentials}, which the app needs but the database never uses. Every app gets a unique name (one
 * app = one WebSocket connection). {@link #close} deletes the apps that are still alive.
 */
public final class AdminApps implements AutoCloseable {
  /** How long one SDK operation may take before a test calls it hung. */
  public static final Duration OP_TIMEOUT = Duration.ofSeconds(15);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final GoogleCredentials STUB_CREDENTIALS =
      GoogleCredentials.create(new AccessToken("owner", new Date(System.currentTimeMillis() + 365L * 86_400_000L)));

  private final CanopyProcess server;
  private final List<FirebaseApp> apps = new ArrayList<>();

  public AdminApps(CanopyProcess server) {
    this.server = server;
  }

  /** A new app (and so a new connection, opened on first use) on namespace {@code ns}. */
  public synchronized FirebaseDatabase database(String ns) {
    FirebaseOptions options = FirebaseOptions.builder()
        .setCredentials(STUB_CREDENTIALS)
        .setDatabaseUrl(server.databaseUrl(ns))
        .build();
    FirebaseApp app = FirebaseApp.initializeApp(options, "canopy-" + ns + "-" + COUNTER.incrementAndGet());
    apps.add(app);
    return FirebaseDatabase.getInstance(app);
  }

  /** Deletes the app behind {@code db}: its connection closes (so its onDisconnect writes fire). */
  public synchronized void delete(FirebaseDatabase db) {
    FirebaseApp app = db.getApp();
    apps.remove(app);
    app.delete();
  }

  @Override
  public synchronized void close() {
    for (FirebaseApp app : apps) {
      try {
        app.delete();
      } catch (RuntimeException ignored) {
        // already deleted
      }
    }
    apps.clear();
  }

  /** Waits for an SDK future (a write's completion) within {@link #OP_TIMEOUT}. */
  public static <T> T await(ApiFuture<T> future, String what) {
    try {
      return future.get(OP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": not completed within " + OP_TIMEOUT + " (no reply from the server?)");
    } catch (ExecutionException e) {
      throw new AssertionError(what + ": failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A completion listener as a future: completes with null on success, or with the DatabaseError. */
  public static CompletableFuture<DatabaseError> completion(java.util.function.Consumer<DatabaseReference.CompletionListener> op) {
    CompletableFuture<DatabaseError> done = new CompletableFuture<>();
    op.accept((error, ref) -> done.complete(error));
    return done;
  }
}
