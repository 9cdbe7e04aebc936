package io.switchboard.gateway.socketio.engine;

import io.switchboard.gateway.socketio.protocol.EnginePacket;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long-polling session's state machine, as the Engine.IO protocol's test suite drives a server: held GETs,
 * overlapping GETs, bad payloads, the heartbeat, the upgrade's probe phase, and a hand-over.
 */
class EngineSessionTest {

  private Vertx vertx;
  private Context context;
  private final List<EnginePacket> messages = new CopyOnWriteArrayList<>();
  private final List<String> closes = new CopyOnWriteArrayList<>();
  private final List<EngineSession> ended = new CopyOnWriteArrayList<>();

  /** One answer to a poll: status and body. */
  record Answer(int status, String body) {}

  static final class Recorder implements PollReply {
    final CompletableFuture<Answer> answer = new CompletableFuture<>();

    @Override
    public void send(int status, String contentType, String body) {
      if (!answer.complete(new Answer(status, body))) {
        throw new AssertionError("answered twice");
      }
    }

    Answer get() throws Exception {
      return answer.get(5, TimeUnit.SECONDS);
    }

    boolean answered() {
      return answer.isDone();
    }
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private EngineSession session(long pingInterval, long pingTimeout) throws Exception {
    EngineSettings settings = new EngineSettings(pingInterval, pingTimeout, 1_000_000, 1024, 300);
    return on(() -> {
      EngineSession s = EngineSession.polling("n.sid", vertx, settings, ended::add);
      s.start(new EngineListener() {
        @Override
        public void onMessage(EnginePacket message) {
          messages.add(message);
        }

        @Override
        public void onClose(String reason) {
          closes.add(reason);
        }
      });
      return s;
    });
  }

  private <T> T on(Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        f.complete(action.get());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f.get(5, TimeUnit.SECONDS);
  }

  private Recorder poll(EngineSession s) throws Exception {
    Recorder r = new Recorder();
    on(() -> {
      s.poll(r);
      return null;
    });
    return r;
  }

  private Recorder post(EngineSession s, String body) throws Exception {
    Recorder r = new Recorder();
    on(() -> {
      s.post(body, r);
      return null;
    });
    return r;
  }

  @Test
  void a_held_get_is_answered_with_everything_queued_at_the_next_flush() throws Exception {
    EngineSession s = session(60_000, 60_000);
    Recorder get = poll(s);
    assertThat(get.answered()).isFalse();
    on(() -> {
      s.send("42[\"a\"]", null);
      s.send("42[\"b\"]", null);
      s.flush();
      return null;
    });
    assertThat(get.get()).isEqualTo(new Answer(200, "42[\"a\"]\u001e42[\"b\"]"));
  }

  @Test
  void a_post_answers_ok_and_hands_its_messages_over_in_order() throws Exception {
    EngineSession s = session(60_000, 60_000);
    assertThat(post(s, "4one\u001e4two").get()).isEqualTo(new Answer(200, "ok"));
    assertThat(messages).extracting(EnginePacket::data).containsExactly("one", "two");
  }

  @Test
  void two_gets_at_once_end_the_session_as_the_reference_server_does() throws Exception {
    EngineSession s = session(60_000, 60_000);
    Recorder first = poll(s);
    Recorder second = poll(s);
    assertThat(first.get()).isEqualTo(new Answer(200, "1"));
    assertThat(second.get().status()).isEqualTo(400);
    assertThat(poll(s).get().status()).isEqualTo(400);
    assertThat(closes).containsExactly("transport error");
    assertThat(ended).containsExactly(s);
  }

  @Test
  void a_body_that_is_not_a_payload_is_a_400_and_ends_the_session() throws Exception {
    EngineSession s = session(60_000, 60_000);
    Answer a = post(s, "abc").get();
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body()).contains("\"code\":3").contains("\"error\":\"bad_request\"");
    assertThat(poll(s).get().body()).contains("\"code\":1");
    assertThat(closes).containsExactly("parse error");
  }

  @Test
  void the_server_pings_and_a_pong_keeps_the_session() throws Exception {
    EngineSession s = session(100, 300);
    for (int i = 0; i < 3; i++) {
      assertThat(poll(s).get()).isEqualTo(new Answer(200, "2"));
      assertThat(post(s, "3").get()).isEqualTo(new Answer(200, "ok"));
    }
    assertThat(closes).isEmpty();
  }

  @Test
  void no_pong_within_the_ping_timeout_ends_the_session() throws Exception {
    EngineSession s = session(100, 100);
    Thread.sleep(400);
    assertThat(poll(s).get().status()).isEqualTo(400);
    assertThat(closes).containsExactly("ping timeout");
  }

  @Test
  void a_probe_answers_the_held_get_with_a_noop_and_every_get_until_the_upgrade() throws Exception {
    EngineSession s = session(60_000, 60_000);
    Recorder held = poll(s);
    assertThat(on(s::probe)).isTrue();
    assertThat(held.get()).isEqualTo(new Answer(200, "6"));
    assertThat(poll(s).get()).isEqualTo(new Answer(200, "6"));
  }

  @Test
  void a_hand_over_takes_what_the_client_did_not_fetch_and_ends_without_a_close_for_the_listener() throws Exception {
    EngineSession s = session(60_000, 60_000);
    on(() -> {
      s.send("42[\"x\",{},\"5\"]", null);
      return null;
    });
    List<String> waiting = on(s::detach);
    assertThat(waiting).containsExactly("42[\"x\",{},\"5\"]");
    assertThat(closes).isEmpty();
    assertThat(ended).containsExactly(s);
    assertThat(poll(s).get().status()).isEqualTo(400);
  }

  @Test
  void a_client_close_answers_the_held_get_with_a_noop() throws Exception {
    EngineSession s = session(60_000, 60_000);
    Recorder held = poll(s);
    post(s, "1").get();
    assertThat(held.get()).isEqualTo(new Answer(200, "6"));
    assertThat(poll(s).get().status()).isEqualTo(400);
    assertThat(closes).containsExactly("transport close");
  }

  @Test
  void a_client_that_lets_its_outbox_grow_past_the_bound_is_not_writable() throws Exception {
    EngineSession s = session(60_000, 60_000);
    List<Boolean> writable = new ArrayList<>();
    on(() -> {
      writable.add(s.writable());
      s.send("4" + "x".repeat(2000), null);
      writable.add(s.writable());
      return null;
    });
    assertThat(writable).containsExactly(true, false);
  }
}
