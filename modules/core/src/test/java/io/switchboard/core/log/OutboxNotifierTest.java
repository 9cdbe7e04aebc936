package io.switchboard.core.log;

import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The wake-up protocol of the relay: at most one NOTIFY in flight, and never a commit left unannounced. */
class OutboxNotifierTest {

  private PgFixture fx;
  private Pool pool;
  private OutboxNotifier notifier;
  private final AtomicInteger notifications = new AtomicInteger();

  @BeforeEach
  void setUp() {
    fx = PgFixture.empty(Map.of());
    pool = fx.pool();
    notifier = new OutboxNotifier(pool);
    PgConnection listener = Await.result(PgConnection.connect(fx.vertx(),
        PgClients.connectOptions(fx.config().postgres())));
    listener.notificationHandler(n -> notifications.incrementAndGet());
    Await.result(listener.query("LISTEN sb_outbox").execute());
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void a_poke_while_a_claimed_transaction_runs_is_announced_when_that_transaction_ends() throws Exception {
    assertThat(notifier.claim()).as("nothing in flight: the transaction notifies at its own commit").isTrue();
    assertThat(notifier.claim()).as("only one claim at a time").isFalse();
    notifier.poke(); // another transaction committed meanwhile, possibly after the claimed one's NOTIFY
    notifier.poke();
    Thread.sleep(300);
    assertThat(notifications).as("no NOTIFY of its own while the claimed one is in flight").hasValue(0);

    notifier.release();
    Await.until("one NOTIFY for the pokes", Duration.ofSeconds(5), () -> notifications.get() == 1);
    Thread.sleep(300);
    assertThat(notifications).as("coalesced into one").hasValue(1);
    Await.until("idle again", Duration.ofSeconds(5), () -> {
      if (notifier.claim()) {
        notifier.release();
        return true;
      }
      return false;
    });
  }

  @Test
  void a_claimed_transaction_alone_costs_no_notify_of_its_own() throws Exception {
    assertThat(notifier.claim()).isTrue();
    notifier.release();
    Thread.sleep(500);
    assertThat(notifications).as("its rows notified at its commit; nothing more to say").hasValue(0);
    assertThat(notifier.claim()).isTrue();
    notifier.release();
  }
}
