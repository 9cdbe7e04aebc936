package io.switchboard.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @Test
  void defaults_apply_when_nothing_is_set() {
    SwitchboardConfig c = ConfigLoader.from(Map.of());
    assertThat(c.http().port()).isEqualTo(8081);
    assertThat(c.roles()).containsExactlyInAnyOrder(SwitchboardConfig.Role.values());
    assertThat(c.sse().heartbeat()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.relay().retention()).isEqualTo(Duration.ofHours(24));
    assertThat(c.cluster().members()).hasSize(3);
    assertThat(c.console().devSignIn()).as("anyone could become a dispatcher: never on by default").isFalse();
    assertThat(c.console().tileUrl()).startsWith("https://tile.openstreetmap.org/");
  }

  @Test
  void environment_values_override_defaults() {
    SwitchboardConfig c = ConfigLoader.from(Map.of("SB_HTTP_PORT", "9000", "SB_ROLES", "gateway, api",
        "SB_SSE_HEARTBEAT", "500ms", "SB_CLUSTER_MEMBERS", "10.0.0.1:5701", "OTHER", "x"));
    assertThat(c.http().port()).isEqualTo(9000);
    assertThat(c.roles()).containsExactlyInAnyOrder(SwitchboardConfig.Role.GATEWAY, SwitchboardConfig.Role.API);
    assertThat(c.sse().heartbeat()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.cluster().members()).containsExactly("10.0.0.1:5701");
  }

  @Test
  void the_environment_overrides_the_config_file(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("sb.properties");
    java.nio.file.Files.writeString(file, "SB_HTTP_PORT=7000\nSB_PG_DATABASE=fromfile\n");
    SwitchboardConfig c = ConfigLoader.from(Map.of("SB_CONFIG_FILE", file.toString(), "SB_HTTP_PORT", "7001"));
    assertThat(c.http().port()).isEqualTo(7001);
    assertThat(c.postgres().database()).isEqualTo("fromfile");
  }

  @Test
  void bad_values_are_refused_with_the_key_named() {
    assertThatThrownBy(() -> ConfigLoader.from(Map.of("SB_HTTP_PORT", "eighty")))
        .hasMessageContaining("SB_HTTP_PORT");
    assertThatThrownBy(() -> ConfigLoader.from(Map.of("SB_SSE_HEARTBEAT", "soon")))
        .hasMessageContaining("SB_SSE_HEARTBEAT");
    assertThatThrownBy(() -> ConfigLoader.from(Map.of("SB_ROLES", "gateway,coffee")))
        .hasMessageContaining("coffee");
  }

  @Test
  void the_mirror_gathers_events_for_10_ms_unless_told_otherwise() {
    assertThat(ConfigLoader.from(Map.of()).bridge().outLinger()).isEqualTo(Duration.ofMillis(10));
    assertThat(ConfigLoader.from(Map.of("SB_BRIDGE_OUT_LINGER", "0")).bridge().outLinger()).isZero();
  }

  @Test
  void a_boolean_is_true_or_false_and_nothing_else() {
    assertThat(ConfigLoader.from(Map.of("SB_FILTER_INVALID", "false")).ingest().filters().invalid()).isFalse();
    assertThat(ConfigLoader.from(Map.of("SB_FILTER_INVALID", " TRUE ")).ingest().filters().invalid()).isTrue();
    // "yes" used to read as false and silently turned the filter off.
    for (String unclear : new String[] {"yes", "1", "on", "no", "0", "ture"}) {
      assertThatThrownBy(() -> ConfigLoader.from(Map.of("SB_FILTER_INVALID", unclear)))
          .as(unclear).hasMessageContaining("SB_FILTER_INVALID").hasMessageContaining("true or false");
    }
  }

  @Test
  void names_nobody_reads_are_reported_so_a_typo_does_not_pass_unnoticed() {
    assertThat(ConfigLoader.unknownNames(Map.of("SB_HTTP_PORT", "1", "SB_HTTP_PROT", "2", "SB_JAVA_OPTS", "-X",
        "SB_LB_PORT", "8080", "PATH", "/bin"))).containsExactly("SB_HTTP_PROT");
  }

  @Test
  void a_wildcard_origin_with_credentials_is_refused_at_start() {
    assertThatThrownBy(() -> ConfigLoader.from(Map.of("SB_CORS_ORIGINS", "https://a.example, *")))
        .hasMessageContaining("SB_CORS_ORIGINS");
  }

  @Test
  void log_format_and_cluster_discovery_are_chosen_by_name_and_anything_else_is_refused_clearly() {
    SwitchboardConfig c = ConfigLoader.from(Map.of("SB_LOG_FORMAT", "JSON", "SB_CLUSTER_DISCOVERY", "kubernetes",
        "SB_CLUSTER_K8S_SERVICE_DNS", "sb-hz.default.svc.cluster.local"));
    assertThat(c.log().format()).isEqualTo(SwitchboardConfig.LogFormat.JSON);
    assertThat(c.cluster().discovery()).isEqualTo(SwitchboardConfig.Discovery.KUBERNETES);
    assertThat(ConfigLoader.from(Map.of()).log().format()).isEqualTo(SwitchboardConfig.LogFormat.TEXT);
    assertThatThrownBy(() -> ConfigLoader.from(Map.of("SB_LOG_FORMAT", "xml")))
        .hasMessage("SB_LOG_FORMAT: 'xml' must be one of [text, json]");
    assertThatThrownBy(() -> ConfigLoader.from(Map.of("SB_CLUSTER_DISCOVERY", "kubernetes")))
        .hasMessageStartingWith("SB_CLUSTER_DISCOVERY=kubernetes needs SB_CLUSTER_K8S_SERVICE_DNS");
  }
}
