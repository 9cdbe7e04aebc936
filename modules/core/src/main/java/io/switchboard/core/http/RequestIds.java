package io.switchboard.core.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.MDC;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it sends a sane one (nginx's
 * {@code $request_id}, a service's trace id), else one of this node's. It is echoed in the response, and what is
 * logged while the request's handlers run carries it ({@code request_id} in JSON logs). Callbacks that run later
 * (a PostgreSQL answer) log it explicitly through {@link #of}.
 */
public final class RequestIds implements Handler<RoutingContext> {

  public static final String HEADER = "X-Request-Id";
  public static final String LOG_KEY = "request_id";
  private static final String KEY = "switchboard.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final String prefix;
  private final AtomicLong counter;

  /** {@code node}: this node's id, so ids stay unique across the cluster without coordination. */
  public RequestIds(String node, AtomicLong counter) {
    this.prefix = node + "-";
    this.counter = counter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SANE.matcher(given).matches() ? given
        : prefix + Long.toString(counter.incrementAndGet(), 36);
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    MDC.put(LOG_KEY, id);
    try {
      ctx.next();
    } finally {
      MDC.remove(LOG_KEY);
    }
  }

  /** The request's id, or null before this handler ran. */
  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
