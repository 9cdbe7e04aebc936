package io.switchboard.core.log;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw publishes numbered by the relay leader in its own statement, and the outbox retry that covers every case in
 * which the publisher cannot know whether that happened: each accepted event is numbered once, with no gap.
 */
class DirectPublisherTest {

  private PgFixture fx;
  private Vertx vertx;
  private Pool pool;
  private SwitchboardConfig config;
  private final ConcurrentLinkedQueue<Event> published = new ConcurrentLinkedQueue<>();
  private final OutboxWriter outbox = OutboxWriter.notifying();

  @BeforeEach
  void setUp() {
    fx = PgFixture.migrated(Map.of("SB_RELAY_BATCH_SIZE", "50", "SB_RELAY_POLL_INTERVAL", "200ms",
        "SB_PUBLISH_DIRECT_TIMEOUT", "1s"));
    config = fx.config();
    vertx = fx.vertx();
    pool = fx.pool();
    vertx.eventBus().<Buffer>consumer(Addresses.SEQUENCED_EVENTS,
        msg -> published.addAll(EventBatchCodec.decode(msg.body())));
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  /** A relay deployed here and elected: the direct publishes' numbering node. */
  private void leadingRelay() {
    OutboxRelay relay = new OutboxRelay(config);
    Await.result(vertx.deployVerticle(relay));
    Await.until("a leader", Duration.ofSeconds(10), relay::isLeader);
  }

  private DirectPublisher publisher() {
    return new DirectPublisher(vertx, pool, outbox, config.relay().directTimeout(), 50);
  }

  /** Appends on a Vert.x context, as the HTTP handlers do. */
  private List<Future<String>> appendConcurrently(DirectPublisher publisher, int count, String label) {
    List<Future<String>> ids = new ArrayList<>();
    vertx.runOnContext(v -> {
      for (int i = 0; i < count; i++) {
        ids.add(publisher.append(new NewEvent(List.of("order:" + (i % 3)), "t", "{\"" + label + "\":" + i + "}")));
      }
    });
    Await.until("appended", Duration.ofSeconds(5), () -> ids.size() == count);
    return ids;
  }

  private void assertLogIsContiguousWithEachEventOnce(int expected) throws Exception {
    try (var c = fx.connect(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id), min(seq), max(seq) FROM sb_events");
      rs.next();
      assertThat(rs.getLong(1)).as("events in the log").isEqualTo(expected);
      assertThat(rs.getLong(2)).as("each event once").isEqualTo(expected);
      assertThat(rs.getLong(4) - rs.getLong(3) + 1).as("no gap").isEqualTo(expected);
      rs = s.executeQuery("SELECT count(*) FROM sb_outbox");
      rs.next();
      assertThat(rs.getLong(1)).as("outbox drained").isZero();
    }
  }

  @Test
  void direct_publishes_are_numbered_by_the_leader_with_the_outbox_rows_contiguously_and_answered_after_commit()
      throws Exception {
    leadingRelay();
    DirectPublisher publisher = publisher();
    List<Future<String>> direct = appendConcurrently(publisher, 200, "d");
    List<Future<?>> domain = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String data = "{\"o\":" + i + "}";
      domain.add(pool.withTransaction(tx -> outbox.append(tx, new NewEvent(List.of("order:1"), "t", data))));
    }
    Await.result(Future.all(direct));
    Await.result(Future.join(domain));
    // Answered after commit: every id is in the log now.
    try (var c = fx.connect(); Statement s = c.createStatement()) {
      for (Future<String> id : direct) {
        ResultSet rs = s.executeQuery("SELECT count(*) FROM sb_events WHERE event_id = '" + id.result() + "'");
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
    Await.until("all published", Duration.ofSeconds(10), () -> published.size() >= 300);
    List<Long> seqs = published.stream().map(Event::seq).toList();
    assertThat(seqs).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 300).boxed().toList());
    assertLogIsContiguousWithEachEventOnce(300);
  }

  @Test
  void without_a_leader_the_publisher_writes_to_the_outbox_and_the_events_are_numbered_once_a_relay_leads()
      throws Exception {
    DirectPublisher publisher = publisher();
    List<Future<String>> ids = appendConcurrently(publisher, 120, "n");
    Await.result(Future.all(ids));   // no handler: straight to the outbox, committed
    try (var c = fx.connect(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT count(*) FROM sb_outbox WHERE maybe_numbered");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(120);
    }
    Await.result(vertx.deployVerticle(new OutboxRelay(config)));
    Await.until("all published", Duration.ofSeconds(10), () -> published.size() >= 120);
    assertThat(published.stream().map(Event::eventId).toList())
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(Future::result).toList());
    assertLogIsContiguousWithEachEventOnce(120);
  }

  @Test
  void a_retry_of_an_event_already_numbered_is_dropped_and_one_in_the_same_batch_as_its_original_wins_alone()
      throws Exception {
    leadingRelay();
    DirectPublisher publisher = publisher();
    String first = Await.result(publisher.append(new NewEvent(List.of("order:1"), "t", "{\"a\":1}")));
    // The publisher of `first` timed out although the leader had committed it: its retry must not number it again.
    Await.result(outbox.appendMaybeNumbered(pool, List.of(new DirectEvent(first,
        new NewEvent(List.of("order:1"), "t", "{\"a\":1}")))));
    // An original that reaches the leader after its retry is in the outbox: the retry numbers it, once.
    String late = UUID.randomUUID().toString();
    NewEvent lateEvent = new NewEvent(List.of("order:2"), "t", "{\"b\":2}");
    Await.result(outbox.appendMaybeNumbered(pool, List.of(new DirectEvent(late, lateEvent))));
    Await.result(vertx.eventBus().request(Addresses.DIRECT_EVENTS,
        DirectEvent.encode(List.of(new DirectEvent(late, lateEvent))))
        .recover(err -> Future.succeededFuture()));   // answered either way; what counts is the log
    Await.result(publisher.append(new NewEvent(List.of("order:3"), "t", "{\"c\":3}")));
    Await.until("three events published", Duration.ofSeconds(10), () -> published.size() >= 3);
    Thread.sleep(500);
    assertThat(published.stream().map(Event::eventId).filter(id -> id.equals(first) || id.equals(late)))
        .containsExactlyInAnyOrder(first, late);
    assertLogIsContiguousWithEachEventOnce(3);
  }

  @Test
  void a_batch_reaches_the_leader_as_it_was_sent() {
    List<DirectEvent> batch = List.of(
        new DirectEvent("7b0d7d2e-1111-4e55-9a1c-5d2b3c4d5e6f", new NewEvent(List.of("a", "b:\"q\""), "x", "{\"k\":[1]}")),
        new DirectEvent("7b0d7d2e-2222-4e55-9a1c-5d2b3c4d5e6f", new NewEvent(List.of(), "y", "null")));
    JsonArray wire = new JsonArray(DirectEvent.encode(batch).encode());
    List<DirectEvent> read = new ArrayList<>();
    for (int i = 0; i < wire.size(); i++) {
      JsonArray row = wire.getJsonArray(i);
      List<String> channels = new JsonArray(DirectEvent.channelsJson(row)).stream().map(String.class::cast).toList();
      read.add(new DirectEvent(DirectEvent.id(row), new NewEvent(channels, DirectEvent.type(row), DirectEvent.data(row))));
    }
    assertThat(read).isEqualTo(batch);
  }
}
