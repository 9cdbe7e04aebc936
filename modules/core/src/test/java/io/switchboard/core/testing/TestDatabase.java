package io.switchboard.core.testing;


import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL database of its own for one test, on the server at 127.0.0.1:5432 (or SB_TEST_PG_HOST/PORT/USER),
 * dropped on close. Tests never share state with each other or with a developer's running cluster.
 */
public final class TestDatabase implements AutoCloseable {

  public static final String HOST = env("SB_TEST_PG_HOST", "127.0.0.1");
  public static final int PORT = Integer.parseInt(env("SB_TEST_PG_PORT", "5432"));
  public static final String USER = env("SB_TEST_PG_USER", "postgres");

  private final String name;

  private TestDatabase(String name) {
    this.name = name;
  }

  public static TestDatabase create() {
    String name = "sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
    return new TestDatabase(name);
  }

  /** A database that does not exist yet, to be created later with {@link #createNow()}. */
  public static TestDatabase notYetCreated() {
    return new TestDatabase("sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  public TestDatabase createNow() {
    admin("CREATE DATABASE " + name);
    return this;
  }

  public String name() {
    return name;
  }

  /** The {@code SB_PG_*} settings that point a node at this database. */
  public Map<String, String> env() {
    return Map.of("SB_PG_HOST", HOST, "SB_PG_PORT", String.valueOf(PORT), "SB_PG_USER", USER,
        "SB_PG_DATABASE", name);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name, USER, "");
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "");
         Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " is needed for this test: " + e.getMessage(), e);
    }
  }

  private static String env(String key, String def) {
    String v = System.getenv(key);
    return v == null || v.isBlank() ? def : v;
  }
}
