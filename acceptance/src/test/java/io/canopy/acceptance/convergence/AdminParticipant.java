package io.canopy.acceptance.convergence;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.firebase.database.DataSnapshot;
import com.google.firebase.database.DatabaseError;
import com.google.firebase.database.DatabaseReference;
import com.google.firebase.database.FirebaseDatabase;
import com.google.firebase.database.MutableData;
import com.google.firebase.database.Transaction;
import com.google.firebase.database.ValueEventListener;
import io.canopy.acceptance.testing.AdminApps;
import io.canopy.acceptance.testing.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A firebase-admin app: a value listener on the root (its tree) and on /hot (its seq log). */
final class AdminParticipant extends LocalParticipant {
  private final FirebaseDatabase db;
  private final CountDownLatch firstRoot = new CountDownLatch(1);
  private volatile JsonNode tree = Json.canonical(null);

  AdminParticipant(String id, long seed, FirebaseDatabase db) {
    super(id, seed);
    this.db = db;
    db.getReference().addValueEventListener(new ValueEventListener() {
      @Override
      public void onDataChange(DataSnapshot snapshot) {
        tree = Json.canonical(snapshot.getValue());
        firstRoot.countDown();
      }

      @Override
      public void onCancelled(DatabaseError error) {
        tree = Json.parse("\"root listener cancelled: " + error.getCode() + "\"");
      }
    });
    db.getReference("hot/seq").addValueEventListener(new ValueEventListener() {
      @Override
      public void onDataChange(DataSnapshot snapshot) {
        observedHot(snapshot.getValue() instanceof String s ? s : null);
      }

      @Override
      public void onCancelled(DatabaseError error) {
        observedHot("cancelled:" + error.getCode());
      }
    });
  }

  boolean awaitFirstRootValue(long seconds) throws InterruptedException {
    return firstRoot.await(seconds, TimeUnit.SECONDS);
  }

  @Override
  public JsonNode tree() {
    return tree;
  }

  @Override
  protected void execute(Op op, String seq) {
    int v = random.nextInt(1000);
    String k = key();
    switch (op) {
      case SET_ITEM -> AdminApps.await(db.getReference("items/" + k).setValueAsync(Map.of("seq", seq, "v", v, "by", id)),
          "set items/" + k);
      case UPDATE_MULTI -> {
        Map<String, Object> update = new HashMap<>();
        update.put("items/" + k + "/seq", seq);
        update.put("items/" + k + "/v", v);
        update.put("hot/seq", seq);
        update.put("hot/by", id);
        String k2 = key();
        if (!k2.equals(k)) {
          update.put("items/" + k2 + "/v", v + 1);
        }
        AdminApps.await(db.getReference().updateChildrenAsync(update), "update /");
      }
      case SET_HOT -> AdminApps.await(db.getReference("hot").setValueAsync(Map.of("seq", seq, "by", id, "n", v)),
          "set hot");
      case REMOVE_ITEM -> AdminApps.await(db.getReference("items/" + k).removeValueAsync(), "remove items/" + k);
      case REMOVE_ITEMS -> AdminApps.await(db.getReference("items").removeValueAsync(), "remove items");
      case TX_COUNTER -> transaction(db.getReference("counter"), data -> {
        Object n = data.getValue();
        data.setValue((n instanceof Number num ? num.longValue() : 0L) + 1);
      }, true);
      case TX_HOT -> transaction(db.getReference("hot"), data -> {
        Object n = data.child("n").getValue();
        Map<String, Object> hot = new HashMap<>();
        hot.put("seq", seq);
        hot.put("by", id);
        hot.put("n", (n instanceof Number num ? num.longValue() : 0L) + 1);
        data.setValue(hot);
      }, false);
      default -> throw new IllegalArgumentException(op.name());
    }
  }

  private interface Mutation {
    void apply(MutableData data);
  }

  /** runTransaction without local events (fireLocalEvents=false): listeners only ever see server states. */
  private void transaction(DatabaseReference ref, Mutation mutation, boolean counter) {
    CompletableFuture<String> done = new CompletableFuture<>();
    ref.runTransaction(new Transaction.Handler() {
      @Override
      public Transaction.Result doTransaction(MutableData current) {
        mutation.apply(current);
        return Transaction.success(current);
      }

      @Override
      public void onComplete(DatabaseError error, boolean committed, DataSnapshot snapshot) {
        done.complete(error != null ? "error " + error.getCode() + " " + error.getMessage()
            : committed ? "committed" : "aborted");
      }
    }, false);
    String outcome;
    try {
      outcome = done.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("transaction on " + ref.getKey() + " not completed within 30 s");
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (outcome.equals("committed")) {
      if (counter) {
        committedCounterTransaction();
      }
    } else if (outcome.startsWith("error " + DatabaseError.MAX_RETRIES)) {
      lostToMaxRetries();
    } else {
      throw new AssertionError("transaction on " + ref.getKey() + ": " + outcome);
    }
  }
}
