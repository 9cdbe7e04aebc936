package io.switchboard.core.access;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may subscribe to (and, for services and admins, publish on) which channel; docs/security.md has the
 * table. Nothing crosses tenants: a channel of an entity is checked against its owner in PostgreSQL, a free-form
 * channel must live in its tenant's namespace ({@code tenant:{t}:...}), and anything else is refused. An entity
 * that does not exist is refused like one of another tenant, so a refusal says nothing about existence.
 */
public final class ChannelAccess {

  private final Ownership owners;

  public ChannelAccess(Pool pool) {
    this.owners = new Ownership(pool);
  }

  /** Succeeds when {@code p} (null: an anonymous client) may have every channel; fails with a 403 otherwise. */
  public Future<Void> check(Principal p, List<String> channels) {
    if (channels.size() == 1) {
      return require(p, channels.get(0)); // the common case, on every publish: no composite future
    }
    List<Future<Void>> checks = new ArrayList<>(channels.size());
    for (String c : channels) {
      checks.add(require(p, c));
    }
    return Future.all(checks).mapEmpty();
  }

  private Future<Void> require(Principal p, String channel) {
    return allowed(p, channel).compose(ok -> ok ? Future.succeededFuture()
        : Future.failedFuture(AuthException.forbidden("not allowed on channel " + channel)));
  }

  Future<Boolean> allowed(Principal p, String channel) {
    int colon = channel.indexOf(':');
    String kind = colon < 0 ? channel : channel.substring(0, colon);
    String rest = colon < 0 ? "" : channel.substring(colon + 1);
    if (kind.equals("stock")) {
      return yes(); // the shop seed's public stream
    }
    if (p == null) {
      return no();
    }
    if (p.granted(channel)) {
      return yes();
    }
    String id = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
    return switch (kind) {
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
        return p.is(Principal.CUSTOMER) ? owners.driverDeliversCustomer(id, p.subject()) : no();
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
