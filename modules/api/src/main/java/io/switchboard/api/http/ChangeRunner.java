package io.switchboard.api.http;

import io.switchboard.core.http.PgErrors;

import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.http.ApiError;
import io.switchboard.core.http.JsonErrors;
import io.switchboard.core.log.OutboxWriter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.switchboard.core.http.BoundedBody;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs the API's requests: authenticates, then runs a change in one transaction — domain writes, then its events
 * through the outbox, then (with an {@code Idempotency-Key}) the answer stored under the key. A retried POST
 * either waits for the first attempt's commit on the key's row and gets its answer back, or, when the first
 * attempt rolled back, runs afresh: the change takes effect once.
 */
public final class ChangeRunner {

  private static final String CLAIM =
      "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
  private static final String STORED =
      "SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2";
  private static final String STORE =
      "UPDATE idempotency_keys SET status = $3, response = $4 WHERE scope = $1 AND key = $2";

  private final Pool pool;
  private final TokenVerifier verifier;
  private final BooleanSupplier ready;
  private final OutboxWriter outbox;

  public ChangeRunner(Pool pool, OutboxWriter outbox, TokenVerifier verifier, BooleanSupplier ready) {
    this.pool = pool;
    this.outbox = outbox;
    this.verifier = verifier;
    this.ready = ready;
  }

  private record Outcome(Reply reply, boolean replayed, boolean emitted) {}

  /** A request that changes something. */
  public void change(RoutingContext ctx, Function<Change, Future<Reply>> work) {
    respond(ctx, authenticate(ctx)
        .compose(principal -> {
          String key = idempotencyKey(ctx);
          return pool.withTransaction(conn -> claim(ctx, conn, principal, key).compose(stored -> {
            if (stored != null) {
              return Future.succeededFuture(new Outcome(stored, true, false));
            }
            Change change = new Change(conn, principal);
            return work.apply(change)
                .compose(reply -> append(conn, change.events())
                    .compose(v -> store(conn, principal, key, reply))
                    .map(v -> new Outcome(reply, false, change.emitted())));
          }));
        }));
  }

  /**
   * A change whose {@code work} is one writing statement that also writes its own outbox rows (a CTE): without
   * an {@code Idempotency-Key} it runs on the pool and commits by itself, saving the BEGIN and COMMIT round
   * trips; with one, it runs in a transaction like any change. Reads to explain a failure may follow it.
   */
  public void changeInOneStatement(RoutingContext ctx, Function<Change, Future<Reply>> work) {
    if (ctx.request().getHeader("Idempotency-Key") != null && ctx.request().method() == HttpMethod.POST) {
      change(ctx, work);
      return;
    }
    respond(ctx, authenticate(ctx)
        .compose(principal -> {
          Change change = new Change(pool, principal);
          return work.apply(change).map(reply -> {
            if (!change.events().isEmpty()) {
              throw new IllegalStateException("a one-statement change must write its own outbox rows");
            }
            return new Outcome(reply, false, change.emitted());
          });
        }));
  }

  /** Once a change committed: wake the relay if it wrote events, then answer; or answer its failure. */
  private void respond(RoutingContext ctx, Future<Outcome> outcome) {
    outcome
        .onSuccess(o -> {
          if (o.emitted()) {
            outbox.committed();
          }
          o.reply().send(ctx, o.replayed());
        })
        .onFailure(err -> JsonErrors.send(ctx, PgErrors.translate(err)));
  }

  /** A request that only reads. */
  public void read(RoutingContext ctx, BiFunction<Pool, Principal, Future<Reply>> work) {
    authenticate(ctx)
        .compose(principal -> work.apply(pool, principal))
        .onSuccess(reply -> reply.send(ctx))
        .onFailure(err -> JsonErrors.send(ctx, PgErrors.translate(err)));
  }

  private Future<Principal> authenticate(RoutingContext ctx) {
    if (!ready.getAsBoolean()) {
      return Future.failedFuture(ApiError.unavailable("the database is not ready yet; retry shortly"));
    }
    return verifier.verify(BearerTokens.of(ctx.request()));
  }

  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || ctx.request().method() != HttpMethod.POST) {
      return null;
    }
    if (key.isBlank() || key.length() > 200) {
      throw ApiError.badRequest("Idempotency-Key must be 1-200 characters");
    }
    return key;
  }

  /** Null when the change should run; the stored answer when this key already committed one. */
  private Future<Reply> claim(RoutingContext ctx, SqlConnection conn, Principal principal, String key) {
    if (key == null) {
      return Future.succeededFuture();
    }
    String hash = requestHash(ctx);
    String scope = scope(principal);
    return conn.preparedQuery(CLAIM).execute(Tuple.of(scope, key, hash)).compose(rows -> {
      if (rows.rowCount() == 1) {
        return Future.succeededFuture();
      }
      return conn.preparedQuery(STORED).execute(Tuple.of(scope, key)).map(stored -> {
        var row = stored.iterator().next();
        if (!hash.equals(row.getString(0))) {
          throw new ApiError(422, "idempotency_key_reused",
              "this Idempotency-Key was used for a different request");
        }
        return Reply.fromStored(new JsonObject(row.getString(1)));
      });
    });
  }

  private Future<Void> append(SqlConnection conn, List<NewEvent> events) {
    Future<?> chain = Future.succeededFuture();
    for (NewEvent e : events) {
      chain = chain.compose(v -> outbox.append(conn, e));
    }
    return chain.mapEmpty();
  }

  private static Future<Void> store(SqlConnection conn, Principal principal, String key, Reply reply) {
    if (key == null) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(STORE)
        .execute(Tuple.of(scope(principal), key, reply.status(), reply.toStored().encode()))
        .mapEmpty();
  }

  /**
   * Whose keys these are: the token's tenant and subject, so two tenants whose tokens share a subject (both call
   * their backend "api") never see each other's stored answers. Length-prefixed, so no tenant and subject pair
   * can spell another's.
   */
  static String scope(Principal principal) {
    return principal.tenant().length() + ":" + principal.tenant() + "/" + principal.subject();
  }

  private static String requestHash(RoutingContext ctx) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((ctx.request().method().name() + " " + ctx.request().path() + "\n").getBytes(StandardCharsets.UTF_8));
      Buffer body = BoundedBody.of(ctx);
      sha.update(body.getBytes());
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
