package io.canopy.pusher;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.log.Partitions;
import io.canopy.core.path.Path;
import io.canopy.core.query.QueryEngine;
import io.canopy.core.query.QuerySpec;
import io.canopy.core.rules.Caller;
import io.canopy.core.rules.Decision;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.tree.Node;
import io.canopy.pusher.access.ReadAccess;
import io.canopy.pusher.access.RulesRegistry;
import io.canopy.pusher.ack.AckRouter;
import io.canopy.pusher.delivery.DeliveryMetrics;
import io.canopy.pusher.delivery.DeliveryScheduler;
import io.canopy.pusher.delivery.Outbox;
import io.canopy.pusher.feed.ChangeFeed;
import io.canopy.pusher.feed.FeedListener;
import io.canopy.store.Checkpoint;
import io.canopy.store.TreeStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's window on committed data: realtime sessions (listens served from shared views, kept in sync by
 * the change feed), verdicts routed to waiting writes, and reads that include every acknowledged write (the store
 * snapshot plus a replay of the changes the store does not hold yet).
 *
 * <p>Threads: one feed thread consumes {@code canopy.changes}, owns every view and carries out listens; loader
 * threads read store snapshots for new views; delivery threads write session outboxes to their transports. For
 * each change the feed thread first queues the pushes to every affected session, then completes the write's
 * verdict future (see {@link #acks()}), so a writer's echo is always queued before its ack. Every public method
 * may be called from any thread; {@link #read} and {@link #get} block and must not run on an event loop.
 */
public final class Pusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);
  private static final Duration READ_CATCH_UP = Duration.ofSeconds(10);

  private final PusherConfig config;
  private final TreeStore store;
  private final AckRouter acks;
  private final ChangeFeed feed;
  private final Admin admin;
  private final ScheduledExecutorService trimmer;
  private final ExecutorService loaders;
  private final ExecutorService delivery;
  private final DeliveryMetrics deliveryMetrics = new DeliveryMetrics();
  private final Realtime realtime;
  private final RulesRegistry rules;
  private final ReadAccess access;
  private final Set<PusherSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong sessionsOpened = new AtomicLong();
  /** Checkpoint offsets that reads in flight still replay from, so trimming keeps their changes. */
  private final ConcurrentMap<Long, long[]> activeReads = new ConcurrentHashMap<>();
  private final AtomicLong readIds = new AtomicLong();

  private Pusher(PusherConfig config, TreeStore store) {
    this.config = config;
    this.store = store;
    this.acks = new AckRouter(config.gatewayId());
    this.rules = new RulesRegistry(config.defaultRules(), ns -> read(ns, Path.ROOT));
    this.access = new ReadAccess(rules, this::read);
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    this.admin = Admin.create(props);
    this.loaders = Executors.newFixedThreadPool(config.loaderThreads(), daemon("canopy-pusher-loader"));
    this.delivery = Executors.newFixedThreadPool(config.deliveryThreads(), daemon("canopy-pusher-delivery"));
    ChangeFeed[] feedRef = new ChangeFeed[1];
    this.realtime = new Realtime(new Realtime.FeedOps() {
      @Override
      public boolean execute(Runnable task) {
        return feedRef[0].execute(task);
      }

      @Override
      public long position(int partition) {
        return feedRef[0].position(partition);
      }

      @Override
      public Node replay(int partition, String namespace, Path path, Node snapshot, long writesOffset) {
        return feedRef[0].buffer(partition).replay(namespace, path, snapshot, writesOffset);
      }
    }, new StoreSnapshots(), loaders, new DeliveryScheduler(delivery, config.deliveryThreads()),
        config.outboxMaxBytes());
    this.feed = new ChangeFeed(config.bootstrapServers(), config.changesTopic(), config.partitions(),
        store::checkpoint, new FeedListener() {
          @Override
          public void onChange(ChangeRecord change) {
            try {
              String rulesChanged = rules.onChange(change);
              if (rulesChanged != null) {
                // listens granted by the old rules are checked again, in order with later pushes
                realtime.sessionsListeningTo(rulesChanged).forEach(s -> s.recheck(rulesChanged));
              }
              realtime.onChange(change); // pushes first (echo) ...
            } catch (RuntimeException e) {
              LOG.error("pushing change {}@{} failed", change.sourcePartition(), change.sourceOffset(), e);
            }
            acks.route(change); // ... then the verdict (ack)
          }

          @Override
          public void afterRound() {
            realtime.afterRound();
          }

          @Override
          public void onStopped(Throwable failure) {
            realtime.onStopped(failure);
          }
        });
    feedRef[0] = feed;
    this.trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "canopy-pusher-trim");
      t.setDaemon(true);
      return t;
    });
    trimmer.scheduleWithFixedDelay(this::trimBuffers, 500, 500, TimeUnit.MILLISECONDS);
  }

  private static ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts the change feed at the store's checkpoints. */
  public static Pusher start(PusherConfig config, TreeStore store) {
    return new Pusher(config, store);
  }

  /**
   * Verdict routing for writes of this gateway. A verdict future completes on the feed thread, after the change's
   * pushes were queued to every session (so an ack queued with {@link PusherSession#send} on completion follows
   * the writer's echo); keep what is chained on it synchronously short.
   */
  public AckRouter acks() {
    return acks;
  }

  /**
   * Opens a realtime session writing to {@code transport}: the pusher's side of one connection. Close it when the
   * connection ends. Any thread.
   */
  public PusherSession openSession(SessionTransport transport) {
    PusherSession s = new PusherSession(realtime,
        new Outbox(transport, delivery, deliveryMetrics, config.outboxMaxItems(), config.outboxMaxBytes()),
        access, loaders, sessions::remove);
    sessions.add(s);
    sessionsOpened.incrementAndGet();
    return s;
  }

  /**
   * A one-shot read of {@code path} with {@code query} applied on the server (the protocol's {@code g}, REST
   * queries): {@code QueryEngine.apply(query, read(namespace, path))}. Blocking, like {@link #read}.
   */
  public Node get(String namespace, Path path, QuerySpec query) {
    return QueryEngine.apply(query == null ? QuerySpec.DEFAULT : query, read(namespace, path));
  }

  /**
   * May {@code caller} read {@code path} (with {@code query}) in {@code namespace} now? The {@code .read} rules in
   * force, evaluated against the committed state. Blocking (may read the store), like {@link #read}.
   */
  public Decision checkRead(String namespace, Path path, QuerySpec query, Caller caller) {
    return access.check(namespace, path, query, caller);
  }

  /** The rules in force for {@code namespace} (its own, else the server's default). Blocking the first time. */
  public RulesDocument rules(String namespace) {
    return rules.rules(namespace);
  }

  /**
   * True if a query at {@code path} is served by an index the rules declare ({@code .indexOn}); a query ordered by
   * key or priority, or without an order, needs none. Null while the namespace's rules are not loaded yet (never
   * blocks).
   */
  public Boolean indexed(String namespace, Path path, QuerySpec query) {
    if (query == null) {
      return true;
    }
    String needed = switch (query.index().kind()) {
      case CHILD -> query.index().path().toRelativeString();
      case VALUE -> ".value";
      default -> null;
    };
    if (needed == null) {
      return true;
    }
    RulesDocument r = rules.cached(namespace);
    return r == null ? null : r.evaluator().indexOn(path).contains(needed);
  }

  /** True if {@code namespace} has rules of its own (set through the log), not the server's default. */
  public boolean hasOwnRules(String namespace) {
    return rules.rules(namespace) != config.defaultRules();
  }

  public int partitionOf(String namespace) {
    return Partitions.forNamespace(namespace, config.partitions());
  }

  /**
   * The current value at {@code path}, including every write acknowledged before this call. The checkpoint is
   * read before the snapshot, and the feed catches up with the end of the change log as it was after the
   * snapshot, so the replayed changes are a complete suffix of what the snapshot holds.
   */
  public Node read(String namespace, Path path) {
    int p = partitionOf(namespace);
    long id = readIds.incrementAndGet();
    Checkpoint cp = store.checkpoint(p);
    activeReads.put(id, new long[] {p, cp.writesOffset()});
    try {
      Node snapshot = store.read(namespace, path);
      feed.awaitPosition(p, endOffset(p), READ_CATCH_UP);
      return feed.buffer(p).replay(namespace, path, snapshot, cp.writesOffset());
    } catch (TimeoutException e) {
      throw new CanopyException(ErrorCode.UNAVAILABLE, "The database is temporarily unavailable (change feed lag)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CanopyException(ErrorCode.UNAVAILABLE, "interrupted");
    } finally {
      activeReads.remove(id);
    }
  }

  private long endOffset(int partition) {
    TopicPartition tp = new TopicPartition(config.changesTopic(), partition);
    try {
      ListOffsetsResult r = admin.listOffsets(Map.of(tp, OffsetSpec.latest()));
      return r.partitionResult(tp).get(READ_CATCH_UP.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (ExecutionException | TimeoutException e) {
      throw new CanopyException(ErrorCode.UNAVAILABLE, "The database is temporarily unavailable (Kafka)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CanopyException(ErrorCode.UNAVAILABLE, "interrupted");
    }
  }

  private void trimBuffers() {
    try {
      for (int p = 0; p < config.partitions(); p++) {
        long keepFrom = store.checkpoint(p).writesOffset();
        for (long[] read : activeReads.values()) {
          if (read[0] == p) {
            keepFrom = Math.min(keepFrom, read[1]);
          }
        }
        feed.buffer(p).trim(keepFrom);
      }
    } catch (RuntimeException e) {
      // The store may be briefly unavailable; the next round trims.
    }
  }

  /** The snapshots new views start from: checkpoint (registered for trimming), store snapshot, end offset. */
  private final class StoreSnapshots implements Realtime.SnapshotLoader {
    @Override
    public Realtime.Snapshot load(String namespace, Path path) {
      int p = partitionOf(namespace);
      long id = readIds.incrementAndGet();
      Checkpoint cp = store.checkpoint(p);
      activeReads.put(id, new long[] {p, cp.writesOffset()});
      try {
        Node snapshot = store.read(namespace, path);
        return new Realtime.Snapshot(id, p, cp.writesOffset(), snapshot, endOffset(p));
      } catch (RuntimeException e) {
        activeReads.remove(id);
        throw e;
      }
    }

    @Override
    public void release(Realtime.Snapshot snapshot) {
      activeReads.remove(snapshot.id());
    }
  }

  /**
   * Realtime gauges and counters for /.metrics.json: {@code sessions}, {@code views} (ready), {@code viewsLoading},
   * {@code listeners}, {@code pushes} (data pushes queued), {@code gatewayItems}, {@code written},
   * {@code resyncs}, {@code droppedPushes} (queued pushes replaced by resyncs), {@code outboxDepthMax},
   * {@code viewLoads} (from the store), {@code viewsDerived} (from a ready view above), {@code viewLoadFailures},
   * {@code changesApplied}, {@code pendingVerdicts}, {@code bufferedChanges} (all partitions), {@code feedFailed}.
   */
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sessions", sessions.size());
    m.put("sessionsOpened", sessionsOpened.get());
    m.put("views", realtime.views());
    m.put("viewsLoading", realtime.loadingViews());
    m.put("listeners", realtime.listeners());
    m.put("pushes", deliveryMetrics.pushes());
    m.put("gatewayItems", deliveryMetrics.gatewayItems());
    m.put("written", deliveryMetrics.written());
    m.put("resyncs", deliveryMetrics.resyncs());
    m.put("droppedPushes", deliveryMetrics.droppedPushes());
    m.put("outboxDepthMax", deliveryMetrics.outboxDepthMax());
    m.put("viewLoads", realtime.viewLoads());
    m.put("viewsDerived", realtime.viewsDerived());
    m.put("viewLoadFailures", realtime.loadFailures());
    m.put("changesApplied", realtime.changesApplied());
    m.put("changeToPushMs", realtime.changeToPush());
    m.put("pendingVerdicts", acks.waitingCount());
    m.put("bufferedChanges", bufferedChanges().stream().mapToLong(Integer::longValue).sum());
    m.put("feedFailed", feed.failure() != null);
    return m;
  }

  /** Buffered changes not yet known to be in the store, per partition (a gauge for /metrics). */
  public List<Integer> bufferedChanges() {
    return IntStream.range(0, config.partitions()).mapToObj(p -> feed.buffer(p).size())
        .collect(Collectors.toList());
  }

  @Override
  public void close() {
    trimmer.shutdownNow();
    feed.close(); // fails listens still waiting for data
    for (PusherSession s : List.copyOf(sessions)) {
      s.close();
    }
    loaders.shutdownNow();
    delivery.shutdown();
    admin.close(Duration.ofSeconds(2));
    acks.failAll(new CanopyException(ErrorCode.UNAVAILABLE, "gateway is shutting down"));
  }
}
