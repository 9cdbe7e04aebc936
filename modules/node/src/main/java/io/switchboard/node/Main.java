package io.switchboard.node;

import io.switchboard.core.auth.TokenMinter;
import io.switchboard.core.config.ConfigLoader;
import io.switchboard.core.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar switchboard.jar} starts a node; {@code java -jar switchboard.jar token --sub S --role R
 * [--tenant T] [--ttl 24h]} prints a token signed with {@code SB_JWT_SECRET}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    SwitchboardConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (RuntimeException e) {
      System.err.println("switchboard: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (args.length > 0 && args[0].equals("token")) {
      System.exit(token(config, args));
    }
    LogSetup.apply(config);
    for (String name : ConfigLoader.unknownNames(System.getenv())) {
      LoggerFactory.getLogger(Main.class).warn("Unknown setting {} is ignored (a typo? docs/configuration.md lists"
          + " every option)", name);
    }
    Node node = new Node(config);
    try {
      node.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("switchboard: cannot start: " + cause.getMessage());
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.shutdown().toCompletionStage().toCompletableFuture()
            .get(config.shutdownGrace().toMillis() + 10_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        System.err.println("switchboard: unclean shutdown: " + e);
      }
    }, "switchboard-shutdown"));
  }

  private static int token(SwitchboardConfig config, String[] args) {
    String sub = null;
    String role = "customer";
    String tenant = "";
    Duration ttl = Duration.ofHours(24);
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sub" -> sub = args[i + 1];
        case "--role" -> role = args[i + 1];
        case "--tenant" -> tenant = args[i + 1];
        case "--ttl" -> ttl = ConfigLoader.parseDuration("--ttl", args[i + 1]);
        default -> {
          System.err.println("token: unknown option " + args[i]);
          return 2;
        }
      }
    }
    if (sub == null) {
      System.err.println("usage: token --sub SUBJECT --role ROLE [--tenant TENANT] [--ttl 24h]");
      return 2;
    }
    if (config.auth().jwtSecret().isBlank()) {
      System.err.println("token: SB_JWT_SECRET is not set");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println(new TokenMinter(vertx, config.auth()).mint(sub, role, tenant, ttl));
      return 0;
    } finally {
      vertx.close();
    }
  }
}
