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
    Map<String, String> env = new HashMap<>(db.env());
    env.put("SB_JWT_SECRET", SECRET);
    env.put("SB_CLUSTER_ENABLED", "false");
    env.putAll(overrides);
    return ConfigLoader.from(env);
  }
}
