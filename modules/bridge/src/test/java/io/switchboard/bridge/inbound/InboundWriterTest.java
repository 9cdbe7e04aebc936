package io.switchboard.bridge.inbound;

import io.switchboard.core.log.OutboxWriter;
import io.switchboard.core.testing.Await;
import io.switchboard.core.testing.PgFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Inbound batches against a real PostgreSQL. */
class InboundWriterTest {

  private PgFixture fx;

  @BeforeEach
  void setUp() {
    fx = PgFixture.migrated(Map.of());
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static InboundWriter.Keyed message(int n, String key) {
    InboundMessage m = new InboundMessage(List.of("tenant:t:news"), "news", "{\"n\":" + n + "}", key, true);
    return InboundWriter.keyed(m, "stream:s:" + n + "-0");
  }

  @Test
  void a_message_postgresql_refuses_is_handed_back_and_every_other_one_of_its_batch_is_written_in_order()
      throws Exception {
    InboundWriter writer = new InboundWriter(fx.vertx(), fx.pool(), OutboxWriter.notifying());
    List<InboundWriter.Keyed> batch = new ArrayList<>();
    for (int n = 0; n < 20; n++) {
      // A text value with a NUL character: PostgreSQL refuses it (22021), and the whole batch used to fail again
      // on every retry. (InboundMessage refuses such keys now; the writer must not depend on it.)
      batch.add(message(n, n == 7 || n == 13 ? "bad\u0000key-" + n : "k-" + n));
    }
    InboundWriter.Written written = Await.result(writer.writeDurable(batch));
    assertThat(written.count()).isEqualTo(18);
    assertThat(written.refused()).extracting(r -> r.message().message().data()).containsExactly("{\"n\":7}",
        "{\"n\":13}");
    assertThat(written.refused().get(0).reason()).contains("PostgreSQL");
    List<Integer> stored = new ArrayList<>();
    try (Connection c = fx.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT (data->>'n')::int FROM sb_outbox ORDER BY id")) {
      while (rs.next()) {
        stored.add(rs.getInt(1));
      }
    }
    assertThat(stored).hasSize(18).isSorted().doesNotContain(7, 13);
  }
}
