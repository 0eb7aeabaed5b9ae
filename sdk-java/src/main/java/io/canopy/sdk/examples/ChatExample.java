package io.canopy.sdk.examples;

import io.canopy.sdk.Canopy;
import io.canopy.sdk.CanopyClient;
import io.canopy.sdk.ChildListener;
import io.canopy.sdk.DataSnapshot;
import io.canopy.sdk.DatabaseReference;
import io.canopy.sdk.ServerValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small chat with presence, against a Canopy server (start one with {@code ./canopy}; it listens on port 9000).
 *
 * <pre>
 * java -cp ... io.canopy.sdk.examples.ChatExample [URL] [NAME] [MESSAGE...]
 * </pre>
 *
 * <p>URL defaults to {@code http://localhost:9000?ns=chat}, NAME to {@code guest}. With messages on the command line it
 * sends them, prints the conversation and exits; otherwise it reads lines from standard input ({@code /quit} ends).
 *
 * <p>What it shows: {@code .info/connected} with {@code onDisconnect()} for presence (the server marks you offline
 * when your connection drops, even if the process dies), {@code push()} with {@code ServerValue.TIMESTAMP}, a
 * {@code limitToLast} query with a child listener, records mapped by Jackson, and futures completed on the server's
 * acknowledgement.
 */
public final class ChatExample {
  /** One chat message. */
  public record Message(String author, String text, long sentAt) {}

  private ChatExample() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://localhost:9000?ns=chat";
    String name = args.length > 1 ? args[1] : "guest";
    List<String> messages = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
    run(url, name, messages, System.out);
  }

  /** Runs the chat; returns when done (after sending {@code messages}, or at {@code /quit} / end of input). */
  public static void run(String url, String name, List<String> messages, PrintStream out) throws Exception {
    try (CanopyClient client = Canopy.connect(url)) {
      DatabaseReference me = client.ref("presence").child(name);

      // Presence: every time the connection comes up, arm the server-side "offline" write, then say we're online.
      client.ref(".info/connected").addValueListener(snapshot -> {
        if (Boolean.TRUE.equals(snapshot.getValue(Boolean.class))) {
          me.onDisconnect().set(Map.of("online", false, "lastSeen", ServerValue.TIMESTAMP))
              .thenCompose(queued -> me.set(Map.of("online", true)));
        }
      });
      client.ref("presence").addValueListener(snapshot -> {
        TreeSet<String> online = new TreeSet<>();
        for (DataSnapshot user : snapshot.children()) {
          if (Boolean.TRUE.equals(user.child("online").getValue(Boolean.class))) {
            online.add(user.key());
          }
        }
        out.println("* online: " + String.join(", ", online));
      });

      // The last 20 messages, then every new one, in order.
      client.ref("messages").orderByKey().limitToLast(20).addChildListener(new ChildListener() {
        @Override
        public void onChildAdded(DataSnapshot snapshot, String previousChildKey) {
          Message m = snapshot.getValue(Message.class);
          out.println("[" + m.author() + "] " + m.text());
        }
      });

      if (!messages.isEmpty()) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (String text : messages) {
          sent.add(send(client, name, text));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        out.println("* sent " + messages.size() + " message(s)");
        me.set(Map.of("online", false, "lastSeen", ServerValue.TIMESTAMP)).get(30, TimeUnit.SECONDS);
        return;
      }
      out.println("* connected to " + client.url() + " as " + name + "; type messages, /quit to leave");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("/quit")) {
        if (!line.isBlank()) {
          send(client, name, line);
        }
      }
    }
  }

  private static CompletableFuture<Void> send(CanopyClient client, String author, String text) {
    // The server fills in sentAt; push ids sort by time, so orderByKey is chronological.
    return client.ref("messages").push().set(Map.of("author", author, "text", text, "sentAt", ServerValue.TIMESTAMP));
  }
}
