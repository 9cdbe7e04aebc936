package io.switchboard.core.auth;

/** Who a verified token speaks for. */
public record Principal(String subject, String role, String tenant) {

  public boolean mayPublish() {
    return "service".equals(role) || "admin".equals(role);
  }
}
