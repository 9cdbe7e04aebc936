package io.switchboard.core.log;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.switchboard.core.event.NewEvent;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import io.switchboard.core.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxRelayTest {

  private PgFixture fx;
  private Vertx vertx;
  private Pool pool;
  private SwitchboardConfig config;
  private final ConcurrentLinkedQueue<Event> published = new ConcurrentLinkedQueue<>();
  private final OutboxWriter outbox = OutboxWriter.notifying();

  @BeforeEach
  void setUp() {
    fx = PgFixture.migrated(Map.of("SB_RELAY_BATCH_SIZE", "50", "SB_RELAY_POLL_INTERVAL", "200ms"));
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

  @Test
  void concurrent_transactions_get_a_contiguous_sequence_and_rolled_back_ones_get_nothing() throws Exception {
    Await.result(vertx.deployVerticle(new OutboxRelay(config)));
    List<Future<?>> txs = new ArrayList<>();
    Set<String> committed = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      String data = "{\"n\":" + i + "}";
      boolean rollBack = i % 7 == 0;
      if (!rollBack) {
        committed.add(data);
      }
      String channel = "order:" + (i % 5);
      txs.add(pool.withTransaction(tx -> outbox.append(tx, new NewEvent(List.of(channel), "t", data))
              .compose(id -> rollBack ? Future.failedFuture("domain change failed") : Future.succeededFuture(id)))
          .recover(err -> Future.succeededFuture()));
    }
    Await.result(Future.join(txs));

    Await.until("all committed events are published", Duration.ofSeconds(20),
        () -> published.size() >= committed.size());
    Thread.sleep(300);
    List<Event> events = new ArrayList<>(published);
    assertThat(events).hasSize(committed.size());
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).seq()).as("published in sequence order, no gap").isEqualTo(i + 1L);
    }
    assertThat(events.stream().map(Event::data).toList()).containsExactlyInAnyOrderElementsOf(committed);
    try (var c = fx.connect(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT count(*), min(seq), max(seq) FROM sb_events");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(committed.size());
      assertThat(rs.getLong(2)).isEqualTo(1);
      assertThat(rs.getLong(3)).isEqualTo(committed.size());
      rs = s.executeQuery("SELECT count(*) FROM sb_outbox");
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  void single_statement_appends_wake_the_relay_at_once_whether_or_not_a_wake_up_is_already_in_flight()
      throws Exception {
    // A safety-net poll of a minute: any lost wake-up shows as a stall far beyond the wait below.
    SwitchboardConfig slowPoll = TestConfigs.of(fx.db(), Map.of("SB_RELAY_POLL_INTERVAL", "60s"));
    OutboxNotifier notifier = new OutboxNotifier(pool);
    OutboxWriter quiet = OutboxWriter.quiet(notifier);
    OutboxRelay relay = new OutboxRelay(slowPoll);
    Await.result(vertx.deployVerticle(relay));
    Await.until("the relay leads", Duration.ofSeconds(10), relay::isLeader);
    // The relay drains once after its LISTEN, so this first event arrives however the two raced.
    Await.result(quiet.appendAlone(pool, new NewEvent(List.of("run:1"), "t", "{\"n\":0}")));
    Await.until("the relay is up", Duration.ofSeconds(10), () -> published.size() == 1);

    // One at a time: each append finds no wake-up in flight and notifies at its own commit.
    for (int i = 1; i < 5; i++) {
      Await.result(quiet.appendAlone(pool, new NewEvent(List.of("run:1"), "t", "{\"n\":" + i + "}")));
      int expected = i + 1;
      Await.until("event " + i + " published without waiting for the poll", Duration.ofSeconds(5),
          () -> published.size() == expected);
    }
    // Many at once: one claims the wake-up, the others are quiet and poke; the last commit is still announced.
    List<Future<?>> burst = new ArrayList<>();
    for (int i = 5; i < 205; i++) {
      burst.add(quiet.appendAlone(pool, new NewEvent(List.of("run:1"), "t", "{\"n\":" + i + "}")));
    }
    Await.result(Future.all(burst));
    Await.until("the whole burst published without waiting for the poll", Duration.ofSeconds(5),
        () -> published.size() == 205);
    assertThat(new ArrayList<>(published)).extracting(Event::seq).containsExactlyElementsOf(
        LongStream.rangeClosed(1, 205).boxed().toList());
    // Idle again: the next append claims the wake-up once more.
    assertThat(notifier.claim()).isTrue();
    notifier.release();
  }

  @Test
  void the_leader_vacuums_the_outbox_so_numbered_rows_leave_no_dead_entries_behind() throws Exception {
    SwitchboardConfig vacuuming = TestConfigs.of(fx.db(), Map.of("SB_RELAY_VACUUM_INTERVAL", "300ms"));
    Await.result(vertx.deployVerticle(new OutboxRelay(vacuuming)));
    publish(0, 400);
    Await.until("all published", Duration.ofSeconds(10), () -> published.size() == 400);
    Await.until("the outbox vacuumed after its rows were numbered", Duration.ofSeconds(10),
        () -> outboxStats()[0] > 0 && outboxStats()[1] == 0);
  }

  @Test
  void a_lingering_relay_numbers_the_commits_of_its_wait_in_one_batch_still_without_a_gap() throws Exception {
    SwitchboardConfig lingering = TestConfigs.of(fx.db(), Map.of("SB_RELAY_LINGER", "300ms", "SB_RELAY_POLL_INTERVAL", "60s"));
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Buffer>consumer(Addresses.SEQUENCED_EVENTS,
        msg -> batchSizes.add(EventBatchCodec.decode(msg.body()).size()));
    OutboxRelay relay = new OutboxRelay(lingering);
    Await.result(vertx.deployVerticle(relay));
    Await.until("the relay leads", Duration.ofSeconds(10), relay::isLeader);
    Thread.sleep(500); // its first drain is done
    OutboxWriter quiet = OutboxWriter.quiet(new OutboxNotifier(pool));
    for (int i = 0; i < 10; i++) { // one at a time, each its own commit and wake-up, within the wait
      Await.result(quiet.appendAlone(pool, new NewEvent(List.of("run:1"), "t", "{\"n\":" + i + "}")));
    }
    // Both consumers must have seen every batch: they run on different contexts, and the other may be first.
    Await.until("all published", Duration.ofSeconds(5),
        () -> published.size() == 10 && batchSizes.stream().mapToInt(Integer::intValue).sum() == 10);
    assertThat(batchSizes).as("ten commits, one statement and one bus message").containsExactly(10);
    assertThat(new ArrayList<>(published)).extracting(Event::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
  }

  @Test
  void only_one_relay_leads_and_another_takes_over_when_its_connection_dies() throws Exception {
    OutboxRelay first = new OutboxRelay(config);
    OutboxRelay second = new OutboxRelay(config);
    Await.result(vertx.deployVerticle(first));
    Await.result(vertx.deployVerticle(second));
    Await.until("a leader is elected", Duration.ofSeconds(10), () -> first.isLeader() || second.isLeader());
    Thread.sleep(1500);
    assertThat(first.isLeader() && second.isLeader()).as("never two leaders").isFalse();

    publish(0, 50);
    Await.until("first events published", Duration.ofSeconds(10), () -> published.size() == 50);

    OutboxRelay leader = first.isLeader() ? first : second;
    try (var c = fx.connect(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted");
    }
    Await.until("the old leader notices", Duration.ofSeconds(10), () -> !leader.isLeader()
        || first.isLeader() != second.isLeader());
    publish(50, 100);
    Await.until("a leader again", Duration.ofSeconds(10), () -> first.isLeader() || second.isLeader());
    Await.until("all events published", Duration.ofSeconds(15), () -> published.size() >= 100);
    List<Event> events = new ArrayList<>(published);
    assertThat(events).extracting(Event::seq).containsExactlyElementsOf(
        LongStream.rangeClosed(1, 100).boxed().toList());
  }

  @Test
  void retention_removes_only_events_older_than_the_retention_period_and_records_how_far_it_went()
      throws Exception {
    SwitchboardConfig shortLived = TestConfigs.of(fx.db(), Map.of(
        "SB_EVENT_RETENTION", "2s", "SB_RETENTION_INTERVAL", "200ms"));
    Await.result(vertx.deployVerticle(new OutboxRelay(shortLived)));
    publish(0, 10);
    Await.until("first batch published", Duration.ofSeconds(10), () -> published.size() == 10);
    Thread.sleep(1000);
    assertThat(logState()).as("nothing is purged before it is old enough").containsExactly(10L, 0L, 10L);
    Thread.sleep(1500);
    publish(10, 15);
    Await.until("old events purged", Duration.ofSeconds(10), () -> logState()[1] == 10L);
    assertThat(logState()).as("last_seq, purged_through, events left").containsExactly(15L, 10L, 5L);
  }

  /** vacuum_count and n_dead_tup of the outbox. */
  private long[] outboxStats() {
    try (var c = fx.connect(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery(
          "SELECT vacuum_count, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'sb_outbox'");
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long[] logState() {
    try (var c = fx.connect(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery(
          "SELECT last_seq, purged_through, (SELECT count(*) FROM sb_events) FROM sb_log_state");
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(int from, int to) {
    List<Future<?>> txs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String data = "{\"n\":" + i + "}";
      txs.add(pool.withTransaction(tx -> outbox.append(tx, new NewEvent(List.of("run:1"), "t", data))));
    }
    Await.result(Future.all(txs));
  }
}
