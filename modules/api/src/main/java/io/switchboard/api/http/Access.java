package io.switchboard.api.http;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.Principal;

/**
 * Role checks of the REST API; tenant checks are in the statements themselves (every statement is scoped to
 * the token's tenant, so another tenant's resource is simply not found). See docs/security.md.
 */
public final class Access {

  private Access() {}

  /** Dispatchers, admins and services. */
  public static void staff(Principal p) {
    if (!p.isStaff()) {
      throw AuthException.forbidden("this needs role dispatcher, admin or service");
    }
  }

  /** Admins and services manage a tenant's reference data. */
  public static void manager(Principal p) {
    if (!p.is(Principal.ADMIN) && !p.is(Principal.SERVICE)) {
      throw AuthException.forbidden("this needs role admin or service");
    }
  }

  /** The resource's tenant must be the token's. */
  public static void tenant(Principal p, String tenant) {
    if (!p.inTenant(tenant)) {
      throw AuthException.forbidden("not allowed in tenant " + tenant);
    }
  }

  /** The tenant a created resource belongs to: the token's; a body may name it too, and then it must be that one. */
  public static String tenantOf(Principal p, JsonBody body) {
    String named = body.optionalId("tenantId");
    String tenant = named != null ? named : p.tenant();
    tenant(p, tenant);
    return tenant;
  }
}
