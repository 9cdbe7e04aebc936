package io.switchboard.gateway.feed;

import io.switchboard.core.event.Addresses;
import io.switchboard.core.event.Event;
import io.switchboard.core.event.EventBatchCodec;
import io.switchboard.core.log.EventLogReader;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The event bus may lose or reorder batches: the feed must still hand on every event once, in order. */
class SequencedFeedTest {

  private PgFixture fx;
  private Vertx vertx;
  private Pool pool;
  private SequencedFeed feed;
  private final List<Long> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    fx = PgFixture.migrated(Map.of("SB_FEED_GAP_CHECK_INTERVAL", "200ms"));
    vertx = fx.vertx();
    pool = fx.pool();
    feed = new SequencedFeed(vertx, new EventLogReader(pool), fx.config().feed());
    Context listenerContext = vertx.getOrCreateContext();
    feed.addListener(new FeedListener() {
      @Override
      public Context context() {
        return listenerContext;
      }

      @Override
      public void onEvents(List<EncodedEvent> events) {
        events.forEach(e -> received.add(e.seq()));
      }
    });
    Await.result(vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public io.vertx.core.Future<?> start() {
        return feed.start();
      }
    }));
    Await.until("the feed is ready", Duration.ofSeconds(10), feed::ready);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  /** What the relay does: number events in the log (and later, maybe, publish them). */
  private void commit(long from, long to) throws Exception {
    try (var c = fx.connect();
         PreparedStatement ins = c.prepareStatement("INSERT INTO sb_events (seq, event_id, channels, type, data, "
             + "created_at) VALUES (?, gen_random_uuid(), '{order:1}', 't', '{}', now())");
         Statement st = c.createStatement()) {
      for (long s = from; s <= to; s++) {
        ins.setLong(1, s);
        ins.executeUpdate();
      }
      st.executeUpdate("UPDATE sb_log_state SET last_seq = " + to);
    }
  }

  private void publish(long... seqs) {
    List<Event> batch = LongStream.of(seqs).mapToObj(s -> new Event(s, "e" + s, List.of("order:1"), "t", "{}", 0))
        .toList();
    vertx.eventBus().publish(Addresses.SEQUENCED_EVENTS, EventBatchCodec.encode(batch));
  }

  @Test
  void a_lost_batch_in_the_middle_is_backfilled_from_the_log_and_order_is_kept() throws Exception {
    commit(1, 6);
    publish(1, 2);
    publish(5, 6);     // 3 and 4 never arrive
    publish(2);        // a duplicate
    Await.until("all six", Duration.ofSeconds(10), () -> received.size() >= 6);
    Thread.sleep(300);
    assertThat(received).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void a_lost_batch_at_the_tail_is_noticed_by_the_periodic_check() throws Exception {
    commit(1, 3);
    publish(1, 2, 3);
    Await.until("first three", Duration.ofSeconds(10), () -> received.size() == 3);
    commit(4, 5);      // numbered, but the bus message is lost: nothing follows to reveal the gap
    Await.until("the tail is backfilled", Duration.ofSeconds(10), () -> received.size() == 5);
    publish(4, 5);     // the late original is ignored
    Thread.sleep(300);
    assertThat(received).containsExactly(1L, 2L, 3L, 4L, 5L);
  }
}
