package io.canopy.acceptance;

import static io.canopy.acceptance.testing.AdminApps.await;
import static io.canopy.acceptance.testing.EventLog.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.core.ApiFuture;
import com.google.firebase.database.FirebaseDatabase;
import io.canopy.acceptance.testing.AdminApps;
import io.canopy.acceptance.testing.CanopyProcess;
import io.canopy.acceptance.testing.EventLog;
import io.canopy.acceptance.testing.Json;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway restart under connected {@code firebase-admin} clients: the server is stopped with SIGTERM and
 * started again on the same port and data directory. The SDK reconnects by itself (backoff from 1 s up to 30 s,
 * to the host it adopted from the handshake's {@code h}), re-sends its listens and its queued write, and its
 * listener sees data written after the restart; data written before is intact.
 */
class AdminReconnectIT {
  /** The SDK's reconnect backoff tops out at 30 s; allow one full step after the server is back. */
  private static final Duration RECONNECT = Duration.ofSeconds(60);
  private static final String NS = "reconnect";
  private static CanopyProcess server;
  private static AdminApps apps;

  @BeforeAll
  static void startServer() {
    server = CanopyProcess.start("admin-reconnect");
    apps = new AdminApps(server);
  }

  @AfterAll
  static void stopServer() {
    if (apps != null) {
      apps.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void clientsReconnectByThemselvesAfterAGatewayRestart() throws Exception {
    FirebaseDatabase listener = apps.database(NS);
    FirebaseDatabase writer = apps.database(NS);
    EventLog room = new EventLog("listener of /room");
    listener.getReference("room").addValueEventListener(room.valueListener());
    EventLog connected = new EventLog("listener's .info/connected");
    listener.getReference(".info/connected").addValueEventListener(connected.valueListener());

    await(writer.getReference("room/before").setValueAsync("kept"), "write before the restart");
    room.awaitLast(value("{\"before\":\"kept\"}"));
    connected.awaitLast(value("true"));

    assertThat(server.stop()).as("exit code after SIGTERM; log:\n%s", server.logTail()).isZero();
    connected.awaitLast(value("false"));
    // Written while the server is down: the SDK queues it and sends it after reconnecting.
    ApiFuture<Void> queued = writer.getReference("room/queued").setValueAsync("sent on reconnect");
    server.restart();

    server.rest().put(NS, "room/after", "\"written after the restart\"");
    await("listener reconnected and sees the new data").atMost(RECONNECT)
        .untilAsserted(() -> assertThat(room.last()).as("latest value of /room (all: %s; wire: "
                + "target/firebase-admin-wire.log)", room.events())
            .isEqualTo(value("{\"before\":\"kept\",\"after\":\"written after the restart\","
                + "\"queued\":\"sent on reconnect\"}")));
    connected.awaitLast(value("true"));
    queued.get(RECONNECT.toSeconds(), TimeUnit.SECONDS);

    assertThat(Json.canonical(server.rest().get(NS, "room"))).isEqualTo(Json.canonical(Json.parse(
        "{\"before\":\"kept\",\"after\":\"written after the restart\",\"queued\":\"sent on reconnect\"}")));

    // And the reconnected connection is fully usable: a write and its echo, a new listen.
    await(listener.getReference("room/again").setValueAsync(Map.of("n", 1)), "write after reconnecting");
    EventLog again = new EventLog("new listen after reconnecting");
    writer.getReference("room/again/n").addValueEventListener(again.valueListener());
    again.awaitLast(value("1"));
  }
}
