package io.switchboard.ingest.http;

import io.switchboard.core.auth.AuthException;
import io.switchboard.core.auth.BearerTokens;
import io.switchboard.core.auth.Principal;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.http.ApiError;
import io.switchboard.ingest.devices.DriverDirectory;
import io.switchboard.ingest.devices.DriverDirectory.DriverRef;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call the ingest APIs: staff of a tenant (devices, the fleet), or a driver acting for itself and staff
 * acting for the drivers of their tenant (positions, tracks). A driver of another tenant is not found (404), so a
 * refusal says nothing about existence.
 */
public final class Callers {

  /** Driver ids travel in channel names (docs/api.md); nothing else can be one. */
  public static final java.util.regex.Pattern DRIVER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_\\-.@]{1,100}");

  private final TokenVerifier verifier;
  private final DriverDirectory directory;

  public Callers(TokenVerifier verifier, DriverDirectory directory) {
    this.verifier = verifier;
    this.directory = directory;
  }

  /** A dispatcher, admin or service of a tenant; 401 without a valid token, 403 with {@code refusal} otherwise. */
  public Future<Principal> tenantStaff(RoutingContext ctx, String refusal) {
    return verifier.verify(BearerTokens.of(ctx.request())).map(p -> {
      if (!p.isStaff() || p.tenant().isEmpty()) {
        throw AuthException.forbidden(refusal);
      }
      return p;
    });
  }

  /** The driver the caller may act for: itself, or one of its tenant's drivers for staff. */
  public Future<DriverRef> driver(RoutingContext ctx, String driverId, String refusal) {
    if (driverId == null || !DRIVER_ID.matcher(driverId).matches()) {
      return Future.failedFuture(ApiError.badRequest("driverId must be 1-100 characters of letters, digits and _-.@"));
    }
    return verifier.verify(BearerTokens.of(ctx.request())).compose(p -> {
      boolean self = p.is(Principal.DRIVER) && driverId.equals(p.subject());
      if (!self && !p.isStaff()) {
        throw AuthException.forbidden(refusal);
      }
      return directory.driver(driverId).map(found -> {
        if (found.isEmpty() || !p.inTenant(found.get().tenant())) {
          throw new ApiError(404, "not_found", "no such driver");
        }
        return found.get();
      });
    });
  }
}
