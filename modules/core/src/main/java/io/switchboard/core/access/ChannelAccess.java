package io.switchboard.core.access;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Who may subscribe to, and who may publish on, which channel; docs/security.md has the table. Nothing crosses
 * tenants: a channel of an entity is checked against its owner in PostgreSQL, a free-form channel must live in its
 * tenant's namespace ({@code tenant:{t}:...}), and anything else is refused. An entity that does not exist is
 * refused like one of another tenant, so a refusal says nothing about existence.
 *
 * <p>Subscribing and publishing differ in two places only: {@code stock:{t}}, the shop seed's public stream, may be
 * read by anyone but written only by its own tenant; and a token's {@code channels} claim grants subscriptions,
 * never publishing.
 */
public final class ChannelAccess {

  private enum Mode { SUBSCRIBE, PUBLISH }

  private final Ownership owners;

  public ChannelAccess(Pool pool) {
    this.owners = new Ownership(pool);
  }

  /** Succeeds when {@code p} (null: an anonymous client) may follow every channel; fails with a 403 otherwise. */
  public Future<Void> checkSubscribe(Principal p, List<String> channels) {
    return check(p, channels, Mode.SUBSCRIBE);
  }

  /** Succeeds when {@code p} may publish on every channel; fails with a 403 otherwise. */
  public Future<Void> checkPublish(Principal p, List<String> channels) {
    if (p == null || !p.mayPublish()) {
      return Future.failedFuture(AuthException.forbidden("publishing requires role service or admin"));
    }
    return check(p, channels, Mode.PUBLISH);
  }

  private Future<Void> check(Principal p, List<String> channels, Mode mode) {
    if (channels.size() == 1) {
      return require(p, channels.get(0), mode); // the common case, on every publish: no composite future
    }
    List<Future<Void>> checks = new ArrayList<>(channels.size());
    for (String c : channels) {
      checks.add(require(p, c, mode));
    }
    return Future.all(checks).mapEmpty();
  }

  private Future<Void> require(Principal p, String channel, Mode mode) {
    return allowed(p, channel, mode).compose(ok -> ok ? Future.succeededFuture()
        : Future.failedFuture(AuthException.forbidden("not allowed on channel " + channel)));
  }

  /**
   * The orders of {@code customer} among the stops of {@code run}: a customer following a run sees those stops
   * only, never the other customers' addresses on it.
   */
  public Future<Set<String>> customerOrdersOnRun(String run, String customer) {
    return owners.customerOrdersOnRun(run, customer);
  }

  /** Whether {@code p} may subscribe to {@code channel}. */
  public Future<Boolean> maySubscribe(Principal p, String channel) {
    return allowed(p, channel, Mode.SUBSCRIBE);
  }

  private Future<Boolean> allowed(Principal p, String channel, Mode mode) {
    int colon = channel.indexOf(':');
    String kind = colon < 0 ? channel : channel.substring(0, colon);
    String rest = colon < 0 ? "" : channel.substring(colon + 1);
    String id = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
    if (kind.equals("stock") && mode == Mode.SUBSCRIBE) {
      return yes(); // the shop seed's public stream
    }
    if (p == null) {
      return no();
    }
    if (mode == Mode.SUBSCRIBE && p.granted(channel)) {
      return yes();
    }
    return switch (kind) {
      case "stock" -> Future.succeededFuture(p.isStaff() && p.inTenant(id));
      case "tenant", "fleet" -> Future.succeededFuture(p.isStaff() && p.inTenant(id));
      case "user" -> owners.tenantOfCustomer(id).map(t -> p.inTenant(t)
          && (p.isStaff() || (p.is(Principal.CUSTOMER) && id.equals(p.subject()))));
      case "order" -> owners.order(id).compose(o -> {
        if (o == null || !p.inTenant(o.tenant())) {
          return no();
        }
        if (p.isStaff() || (p.is(Principal.CUSTOMER) && o.customer().equals(p.subject()))) {
          return yes();
        }
        return p.is(Principal.DRIVER) ? owners.driverDeliversOrder(p.subject(), id) : no();
      });
      case "run" -> owners.run(id).compose(r -> {
        if (r == null || !p.inTenant(r.tenant())) {
          return no();
        }
        if (p.isStaff() || (p.is(Principal.DRIVER) && p.subject().equals(r.driver()))) {
          return yes();
        }
        return p.is(Principal.CUSTOMER) && r.active() ? owners.runDeliversCustomer(id, p.subject()) : no();
      });
      case "driver" -> owners.tenantOfDriver(id).compose(t -> {
        if (t == null || !p.inTenant(t)) {
          return no();
        }
        if (p.isStaff() || (p.is(Principal.DRIVER) && id.equals(p.subject()))) {
          return yes();
        }
        // A customer follows the position of the driver bringing their order, nothing else of that driver: its
        // run events (driver:{id}:runs) carry every other customer's stop.
        return p.is(Principal.CUSTOMER) && id.equals(rest) ? owners.driverDeliversCustomer(id, p.subject()) : no();
      });
      case "shop" -> owners.tenantOfShop(id).map(t -> p.isStaff() && p.inTenant(t));
      case "variant" -> owners.tenantOfVariant(id).map(t -> p.isStaff() && p.inTenant(t));
      default -> no();
    };
  }

  private static Future<Boolean> yes() {
    return Future.succeededFuture(true);
  }

  private static Future<Boolean> no() {
    return Future.succeededFuture(false);
  }
}
