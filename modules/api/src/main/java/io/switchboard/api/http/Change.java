package io.switchboard.api.http;

import io.switchboard.core.auth.Principal;
import io.switchboard.core.event.NewEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.List;

/**
 * One business change in progress: its transaction's connection, who makes it, and the events it will emit. The
 * events are appended to the outbox after the domain writes, in the same transaction (see {@link ChangeRunner}).
 */
public final class Change {

  private final SqlClient conn;
  private boolean wroteOutbox;
  private final Principal principal;
  private final List<NewEvent> events = new ArrayList<>();

  Change(SqlClient conn, Principal principal) {
    this.conn = conn;
    this.principal = principal;
  }

  /**
   * The transaction's connection; for a change run with {@link ChangeRunner#changeInOneStatement}, the pool,
   * where each statement commits on its own.
   */
  public SqlClient conn() {
    return conn;
  }

  /** The change wrote its outbox rows itself, inside its own statement (quiet rows, see OutboxWriter). */
  public void wroteOutboxRows() {
    wroteOutbox = true;
  }

  boolean emitted() {
    return wroteOutbox || !events.isEmpty();
  }

  public Principal principal() {
    return principal;
  }

  /** Who made the change, as recorded in {@code updatedBy}. */
  public String actor() {
    return principal.subject();
  }

  public void emit(String type, List<String> channels, JsonObject data) {
    emit(type, channels, data.encode());
  }

  /** {@code data} is JSON text, on one line. */
  public void emit(String type, List<String> channels, String data) {
    events.add(new NewEvent(channels, type, data));
  }

  List<NewEvent> events() {
    return events;
  }
}
