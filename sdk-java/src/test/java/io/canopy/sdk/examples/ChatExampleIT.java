package io.canopy.sdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.canopy.sdk.Canopy;
import io.canopy.sdk.CanopyClient;
import io.canopy.sdk.DataSnapshot;
import io.canopy.sdk.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chat example against a real all-in-one server: two users, messages in order, presence. */
class ChatExampleIT {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void twoUsersChatAndPresenceIsRecorded() throws Exception {
    String url = server.url(TestServer.namespace("chat"));
    ByteArrayOutputStream ada = new ByteArrayOutputStream();
    ChatExample.run(url, "ada", List.of("hello", "anyone?"), new PrintStream(ada, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream bob = new ByteArrayOutputStream();
    ChatExample.run(url, "bob", List.of("hi ada"), new PrintStream(bob, true, StandardCharsets.UTF_8));

    String out = bob.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("[ada] hello\n[ada] anyone?").contains("[bob] hi ada").contains("* sent 1 message(s)");
    try (CanopyClient c = Canopy.connect(url)) {
      DataSnapshot presence = c.ref("presence").get().get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(presence.child("ada/online").getValue()).isEqualTo(false);
      assertThat(presence.child("bob/lastSeen").getValue(Long.class)).isPositive();
      List<String> texts = new java.util.ArrayList<>();
      c.ref("messages").orderByKey().get().get(20, java.util.concurrent.TimeUnit.SECONDS).children()
          .forEach(m -> texts.add(m.getValue(ChatExample.Message.class).text()));
      assertThat(texts).containsExactly("hello", "anyone?", "hi ada"); // push ids sort chronologically
    }
  }
}
