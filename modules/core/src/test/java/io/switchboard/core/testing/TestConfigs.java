package io.switchboard.core.testing;

import io.switchboard.core.config.ConfigLoader;
import io.switchboard.core.config.SwitchboardConfig;

import java.util.HashMap;
import java.util.Map;

/** Configurations for in-process tests, pointing at a test's own database. */
public final class TestConfigs {

  public static final String SECRET = "test-secret-0123456789-0123456789-abcdef";

  private TestConfigs() {}

  public static SwitchboardConfig of(TestDatabase db, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("SB_PG_HOST", TestDatabase.HOST);
    env.put("SB_PG_PORT", String.valueOf(TestDatabase.PORT));
    env.put("SB_PG_USER", TestDatabase.USER);
    env.put("SB_PG_DATABASE", db.name());
    env.put("SB_JWT_SECRET", SECRET);
    env.put("SB_CLUSTER_ENABLED", "false");
    env.putAll(overrides);
    return ConfigLoader.from(env);
  }
}
