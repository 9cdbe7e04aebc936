package io.switchboard.gateway.admission;

import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.auth.StreamTickets;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.event.Channels;
import io.switchboard.core.http.ApiError;
import io.switchboard.gateway.access.CustomerRunView;
import io.switchboard.gateway.quota.StreamLimits;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * Who may open a stream or a socket, for every transport alike: how fast an address may open them, whose
 * credentials these are (a stream ticket, a token, or nobody), whether every channel is valid and allowed, what the
 * subscriber may see of events, and what it counts against (streams per user, cluster-wide, and per address). One
 * per node, shared by every event loop.
 */
public final class StreamAdmission {

  private final TokenVerifier verifier;
  private final StreamTickets tickets;
  private final ChannelAccess access;
  private final StreamLimits limits;
  private final int maxChannels;

  public StreamAdmission(TokenVerifier verifier, StreamTickets tickets, ChannelAccess access, StreamLimits limits,
                         int maxChannels) {
    this.verifier = verifier;
    this.tickets = tickets;
    this.access = access;
    this.limits = limits;
    this.maxChannels = maxChannels;
  }

  public ChannelAccess access() {
    return access;
  }

  public int maxChannels() {
    return maxChannels;
  }

  /** The client's address as this node trusts it (behind the balancer: from X-Forwarded-For). */
  public String clientOf(HttpServerRequest request) {
    return limits.perAddress().clientOf(request);
  }

  /** Throws a 429 {@link ApiError} (with the seconds to wait) when {@code client} opens streams too fast. */
  public void checkOpenRate(String client) {
    long wait = limits.opensPerAddress().take(client);
    if (wait > 0) {
      throw new ApiError(429, "too_many_stream_opens", "this client address opens streams too fast; retry after "
          + wait + " s");
    }
  }

  /**
   * Who the credentials speak for: the ticket's principal (single use), the token's, or nobody (null) when none is
   * given and none is {@code required}.
   */
  public Future<Principal> authenticate(String ticket, String token, boolean required) {
    if (ticket != null) {
      return tickets.redeem(ticket);
    }
    if (required || token != null) {
      return verifier.verify(token);
    }
    return Future.succeededFuture(null);
  }

  /**
   * Lets a subscriber in on {@code channels} ({@code allowEmpty}: a socket may start without any), or fails with the
   * 4xx that says why. Counts it against its address and its user until {@link #release}.
   */
  public Future<Admitted> admit(Principal p, List<String> channels, String client, boolean allowEmpty) {
    try {
      checkChannels(channels, allowEmpty);
      limits.perAddress().acquire(client);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    String owner = p == null ? null : p.tenant() + "/" + p.subject();
    return access.checkSubscribe(p, channels)
        .compose(v -> CustomerRunView.of(access, p, channels))
        .compose(view -> limits.perUser().acquire(owner).map(v -> new Admitted(p, channels, view, owner, client)))
        .onFailure(err -> limits.perAddress().release(client));
  }

  public void release(Admitted a) {
    release(a.owner(), a.client());
  }

  public void release(String owner, String client) {
    limits.perUser().release(owner);
    limits.perAddress().release(client);
  }

  /** One more channel for a subscriber already admitted (a Socket.IO room): valid and allowed, or a 4xx. */
  public Future<Void> mayJoin(Principal p, String channel) {
    if (!Channels.isValid(channel)) {
      return Future.failedFuture(ApiError.badRequest("invalid channel name: " + abbreviate(channel)));
    }
    return access.checkSubscribe(p, List.of(channel));
  }

  private void checkChannels(List<String> channels, boolean allowEmpty) {
    if (channels.isEmpty() && !allowEmpty) {
      throw ApiError.badRequest("at least one channel is required, e.g. ?channel=order:123");
    }
    if (channels.size() > maxChannels) {
      throw ApiError.badRequest("too many channels (at most " + maxChannels + ")");
    }
    for (String c : channels) {
      if (!Channels.isValid(c)) {
        throw ApiError.badRequest("invalid channel name: " + abbreviate(c));
      }
    }
  }

  static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /** A refusal's status: 401 or 403 for credentials and rules, the API error's own otherwise. */
  public static int statusOf(Throwable err) {
    if (err instanceof AuthException a) {
      return a.status();
    }
    return err instanceof ApiError e ? e.status() : 500;
  }
}
