package io.canopy.gateway.rest;

import io.canopy.core.error.CanopyException;
import io.canopy.core.error.ErrorCode;
import io.canopy.core.log.ChangeRecord;
import io.canopy.core.ops.WriteOp;
import io.canopy.core.path.Path;
import io.canopy.core.rules.Caller;
import io.canopy.core.rules.RulesDocument;
import io.canopy.core.rules.RulesNamespace;
import io.canopy.core.rules.RulesParseException;
import io.canopy.core.tree.LeafNode;
import io.canopy.gateway.auth.TokenVerifier;
import io.canopy.gateway.ns.NamespaceResolver;
import io.canopy.gateway.write.WriteLog;
import io.canopy.pusher.Pusher;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code GET/PUT /.settings/rules.json}: a namespace's security rules, for admins only (the {@code owner}
 * credential in dev mode, an admin token otherwise). A PUT is compiled here first, so a bad document gets its
 * line and column at once and the old rules stay; a good one travels through the write log as a write to the
 * namespace's rules namespace, so every later write is judged by it from its position in the log on.
 */
public final class RulesSettings implements Handler<RoutingContext> {
  public static final String PATH = "/.settings/rules.json";
  /** Firebase's limit on the size of a rules document. */
  public static final int MAX_RULES_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final Pusher pusher;
  private final WriteLog writeLog;
  private final NamespaceResolver namespaces;
  private final TokenVerifier verifier;

  public RulesSettings(Vertx vertx, Pusher pusher, WriteLog writeLog, NamespaceResolver namespaces,
      TokenVerifier verifier) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.pusher = Objects.requireNonNull(pusher, "pusher");
    this.writeLog = Objects.requireNonNull(writeLog, "writeLog");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest http = ctx.request();
    String namespace;
    try {
      namespace = namespaces.resolve(http.getParam("ns"), http.getHeader("Host"));
      Credential credential = Credential.parse(http.getParam("auth"), http.getParam("access_token"),
          http.getHeader("Authorization")).verify(verifier);
      if (credential.context() == null || !credential.context().admin()) {
        throw new CanopyException(ErrorCode.PERMISSION_DENIED, "Permission denied");
      }
    } catch (RuntimeException e) {
      Replies.error(ctx, e);
      return;
    }
    if (http.method() == HttpMethod.GET) {
      vertx.executeBlocking(() -> pusher.rules(namespace).source(), false)
          .onComplete(done -> Replies.guarded(ctx, () -> {
            if (done.failed()) {
              Replies.error(ctx, done.cause());
            } else {
              Replies.json(ctx, 200, done.result().getBytes(StandardCharsets.UTF_8), RestParams.DEFAULTS);
            }
          }));
    } else if (http.method() == HttpMethod.PUT) {
      put(ctx, namespace);
    } else {
      Replies.error(ctx, RestError.METHOD_NOT_ALLOWED);
    }
  }

  private void put(RoutingContext ctx, String namespace) {
    String text = ctx.body() == null ? null : ctx.body().asString(StandardCharsets.UTF_8.name());
    if (text == null || text.isBlank()) {
      Replies.error(ctx, new CanopyException(ErrorCode.INVALID_DATA, "No rules were provided"));
      return;
    }
    try {
      RulesDocument.parse(text);
    } catch (RulesParseException e) {
      Replies.error(ctx, e);
      return;
    }
    WriteOp op = new WriteOp.Set(Path.ROOT, LeafNode.of(text));
    Future.fromCompletionStage(writeLog.write(RulesNamespace.of(namespace), op, null, Caller.ADMIN),
            vertx.getOrCreateContext())
        .onComplete(done -> Replies.guarded(ctx, () -> {
          if (done.failed()) {
            Replies.error(ctx, done.cause());
            return;
          }
          ChangeRecord verdict = done.result();
          if (!verdict.accepted()) {
            Replies.error(ctx, RestError.of(verdict));
            return;
          }
          Replies.json(ctx, 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8), RestParams.DEFAULTS);
        }));
  }
}
