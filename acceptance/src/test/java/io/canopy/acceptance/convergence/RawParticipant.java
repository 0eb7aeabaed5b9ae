package io.canopy.acceptance.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canopy.acceptance.testing.Hashes;
import io.canopy.acceptance.testing.Json;
import io.canopy.acceptance.testing.RawClient;

/**
 * The raw v5 client: a default listen on the root; writes with p / m; transactions as compare-and-set p with the
 * hash of its local (server-pushed) value, retried on datastale like the SDKs (25 tries).
 */
final class RawParticipant extends LocalParticipant {
  private static final int MAX_TRIES = 25;
  private final RawClient client;

  RawParticipant(String id, long seed, RawClient client) {
    super(id, seed);
    this.client = client;
    client.onPush(push -> {
      JsonNode seq = Json.at(client.tree(), "hot/seq");
      observedHot(seq.isTextual() ? seq.textValue() : null);
    });
    JsonNode ok = client.await(client.listen("/"), "listen /");
    if (!"ok".equals(ok.path("s").asText())) {
      throw new AssertionError(id + ": listen / refused: " + ok);
    }
  }

  RawClient client() {
    return client;
  }

  @Override
  public JsonNode tree() {
    return client.tree();
  }

  @Override
  protected void execute(Op op, String seq) {
    int v = random.nextInt(1000);
    String k = key();
    switch (op) {
      case SET_ITEM -> ok(client.put("/items/" + k, item(seq, v), null), "set items/" + k);
      case UPDATE_MULTI -> {
        ObjectNode update = Json.object();
        update.put("items/" + k + "/seq", seq);
        update.put("items/" + k + "/v", v);
        update.put("hot/seq", seq);
        update.put("hot/by", id);
        String k2 = key();
        if (!k2.equals(k)) {
          update.put("items/" + k2 + "/v", v + 1);
        }
        ok(client.merge("/", update), "update /");
      }
      case SET_HOT -> {
        ObjectNode hot = Json.object();
        hot.put("seq", seq);
        hot.put("by", id);
        hot.put("n", v);
        ok(client.put("/hot", hot, null), "set hot");
      }
      case REMOVE_ITEM -> ok(client.put("/items/" + k, null, null), "remove items/" + k);
      case REMOVE_ITEMS -> ok(client.put("/items", null, null), "remove items");
      case TX_COUNTER -> {
        if (compareAndSet("counter", current -> Json.parse(String.valueOf(
            (current.isNumber() ? current.asLong() : 0L) + 1)))) {
          committedCounterTransaction();
        }
      }
      case TX_HOT -> compareAndSet("hot", current -> {
        ObjectNode hot = Json.object();
        hot.put("seq", seq);
        hot.put("by", id);
        hot.put("n", (current.path("n").isNumber() ? current.path("n").asLong() : 0L) + 1);
        return hot;
      });
      default -> throw new IllegalArgumentException(op.name());
    }
  }

  private interface Update {
    JsonNode apply(JsonNode current);
  }

  /** True once committed; false after 25 datastale replies (the SDKs' maxretry). */
  private boolean compareAndSet(String path, Update update) {
    for (int i = 0; i < MAX_TRIES; i++) {
      JsonNode current = Json.at(client.tree(), path);
      JsonNode reply = client.await(client.put("/" + path, update.apply(current), Hashes.of(current)),
          "compare-and-set /" + path);
      String s = reply.path("s").asText();
      if (s.equals("ok")) {
        return true;
      }
      if (!s.equals("datastale")) {
        throw new AssertionError("compare-and-set /" + path + ": " + reply);
      }
    }
    lostToMaxRetries();
    return false;
  }

  private ObjectNode item(String seq, int v) {
    ObjectNode item = Json.object();
    item.put("seq", seq);
    item.put("v", v);
    item.put("by", id);
    return item;
  }

  private void ok(java.util.concurrent.CompletableFuture<JsonNode> reply, String what) {
    JsonNode b = client.await(reply, what);
    if (!"ok".equals(b.path("s").asText())) {
      throw new AssertionError(what + ": " + b);
    }
  }
}
