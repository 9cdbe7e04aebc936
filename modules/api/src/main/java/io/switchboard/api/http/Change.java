package io.switchboard.api.http;

import io.switchboard.core.auth.Principal;
import io.switchboard.core.event.NewEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * One business change in progress: its transaction's connection, who makes it, and the events it will emit. The
 * events are appended to the outbox after the domain writes, in the same transaction (see {@link ChangeRunner}).
 */
public final class Change {

  private final SqlConnection conn;
  private final Principal principal;
  private final List<NewEvent> events = new ArrayList<>();

  Change(SqlConnection conn, Principal principal) {
    this.conn = conn;
    this.principal = principal;
  }

  public SqlConnection conn() {
    return conn;
  }

  public Principal principal() {
    return principal;
  }

  /** Who made the change, as recorded in {@code updatedBy}. */
  public String actor() {
    return principal.subject();
  }

  public void emit(String type, List<String> channels, JsonObject data) {
    events.add(new NewEvent(channels, type, data.encode()));
  }

  List<NewEvent> events() {
    return events;
  }
}
