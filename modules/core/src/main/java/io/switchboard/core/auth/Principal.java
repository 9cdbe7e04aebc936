package io.switchboard.core.auth;

import java.util.List;

/**
 * Who a verified token speaks for: its subject, role and tenant, the channel patterns its optional {@code channels}
 * claim grants ({@code *} matches any run of characters, as in Mercure's subscribe claim), and until when it may be
 * used ({@code validUntilMillis}: the token's {@code exp} plus the configured leeway; 0 when unknown), so that a
 * stream it opened ends when the token would no longer be accepted.
 */
public record Principal(String subject, String role, String tenant, List<String> channels, long validUntilMillis) {

  public static final String CUSTOMER = "customer";
  public static final String DRIVER = "driver";
  public static final String DISPATCHER = "dispatcher";
  public static final String ADMIN = "admin";
  public static final String SERVICE = "service";

  public Principal(String subject, String role, String tenant) {
    this(subject, role, tenant, List.of(), 0);
  }

  public Principal(String subject, String role, String tenant, List<String> channels) {
    this(subject, role, tenant, channels, 0);
  }

  public Principal {
    tenant = tenant == null ? "" : tenant;
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  public boolean mayPublish() {
    return SERVICE.equals(role) || ADMIN.equals(role);
  }

  /** Dispatchers, admins and services see everything in their tenant. */
  public boolean isStaff() {
    return DISPATCHER.equals(role) || ADMIN.equals(role) || SERVICE.equals(role);
  }

  public boolean is(String r) {
    return r.equals(role);
  }

  /** In this tenant (a principal without a tenant is in none). */
  public boolean inTenant(String t) {
    return !tenant.isEmpty() && tenant.equals(t);
  }

  /** The {@code channels} claim grants this channel. */
  public boolean granted(String channel) {
    for (String pattern : channels) {
      if (globMatches(pattern, channel)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code *} matches any run of characters, everything else itself. Checked on every publish and subscription,
   * so it compiles nothing: greedy matching with backtracking to the last star, linear for patterns like ours.
   */
  static boolean globMatches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = t;
      } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
