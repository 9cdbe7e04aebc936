package io.switchboard.core.config;

import io.switchboard.core.http.TrustedProxies;

import io.switchboard.core.config.SwitchboardConfig.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code SB_*} settings from an optional properties file ({@code SB_CONFIG_FILE}) overlaid by the
 * environment, so a file can hold the defaults of a deployment and the environment the per-node values.
 */
public final class ConfigLoader {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  /**
   * {@code SB_*} names the node does not read but the project's scripts and tests do (deploy/, the test fixtures):
   * they may sit in a node's environment without being a typo.
   */
  private static final Set<String> SCRIPT_NAMES = Set.of("SB_CONFIG_FILE", "SB_ROOT", "SB_JAVA_OPTS", "SB_LB_PORT",
      "SB_LB_OSMAND_PORT", "SB_DEMO_DRIVERS", "SB_DEMO_RUNS", "SB_LOCAL_STATE", "SB_LOCAL_DATABASE",
      "SB_FIRST_PORT", "SB_FIRST_CLUSTER_PORT", "SB_NODE_JAR", "SB_TEST_PG_HOST", "SB_TEST_PG_PORT", "SB_TEST_PG_USER");
  private static final String SCRIPT_PREFIX = "SB_BENCH_";

  private final Map<String, String> values;
  private final Set<String> read = new java.util.HashSet<>();

  private ConfigLoader(Map<String, String> values) {
    this.values = values;
  }

  public static SwitchboardConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static SwitchboardConfig from(Map<String, String> env) {
    return new ConfigLoader(merged(env)).build();
  }

  /**
   * The {@code SB_*} names in {@code env} (and its config file) that no option and no project script reads,
   * sorted: most likely typos, which would otherwise silently leave an option at its default.
   */
  public static List<String> unknownNames(Map<String, String> env) {
    ConfigLoader loader = new ConfigLoader(merged(env));
    loader.build();
    return loader.values.keySet().stream()
        .filter(k -> k.startsWith("SB_") && !loader.read.contains(k) && !SCRIPT_NAMES.contains(k)
            && !k.startsWith(SCRIPT_PREFIX))
        .sorted().toList();
  }

  private static Map<String, String> merged(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    String file = env.get("SB_CONFIG_FILE");
    if (file != null && !file.isBlank()) {
      merged.putAll(readFile(Path.of(file)));
    }
    env.forEach((k, v) -> {
      if (k.startsWith("SB_")) {
        merged.put(k, v);
      }
    });
    return merged;
  }

  private static Map<String, String> readFile(Path path) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path, e);
    }
    Map<String, String> map = new HashMap<>();
    props.forEach((k, v) -> map.put(k.toString().trim(), v.toString().trim()));
    return map;
  }

  private SwitchboardConfig build() {
    int httpPort = integer("SB_HTTP_PORT", 8081);
    int clusterPort = integer("SB_CLUSTER_PORT", 5701);
    return new SwitchboardConfig(
        string("SB_NODE_ID", "node-" + httpPort),
        roles(string("SB_ROLES", "all")),
        http(httpPort),
        new SwitchboardConfig.Postgres(
            string("SB_PG_HOST", "127.0.0.1"),
            integer("SB_PG_PORT", 5432),
            string("SB_PG_DATABASE", "switchboard"),
            string("SB_PG_USER", "postgres"),
            string("SB_PG_PASSWORD", ""),
            integer("SB_PG_POOL_SIZE", 8),
            duration("SB_PG_RECONNECT_INTERVAL", "2s")),
        new SwitchboardConfig.Cluster(
            bool("SB_CLUSTER_ENABLED", true),
            string("SB_CLUSTER_NAME", "switchboard"),
            string("SB_CLUSTER_HOST", "127.0.0.1"),
            clusterPort,
            choice("SB_CLUSTER_DISCOVERY", SwitchboardConfig.Discovery.class, SwitchboardConfig.Discovery.MEMBERS),
            list(string("SB_CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703")),
            string("SB_CLUSTER_K8S_SERVICE_DNS", ""),
            duration("SB_CLUSTER_K8S_DNS_TIMEOUT", "5s"),
            string("SB_HAZELCAST_CONFIG", ""),
            string("SB_EVENTBUS_HOST", string("SB_CLUSTER_HOST", "127.0.0.1")),
            integer("SB_EVENTBUS_PORT", 0)),
        new SwitchboardConfig.Auth(
            string("SB_JWT_SECRET", ""),
            string("SB_JWT_ISSUER", ""),
            duration("SB_JWT_LEEWAY", "30s"),
            list(string("SB_JWT_PUBLIC_KEYS", "")),
            string("SB_JWT_JWKS", ""),
            duration("SB_JWT_JWKS_REFRESH", "5m"),
            string("SB_JWT_AUDIENCE", "")),
        sse(),
        socketIo(),
        new SwitchboardConfig.Feed(
            integer("SB_FEED_MEMORY_EVENTS", 10_000),
            duration("SB_FEED_GAP_CHECK_INTERVAL", "1s"),
            integer("SB_FEED_BACKFILL_PAGE_SIZE", 2_000)),
        new SwitchboardConfig.Relay(
            integer("SB_RELAY_BATCH_SIZE", 500),
            duration("SB_RELAY_POLL_INTERVAL", "1s"),
            longValue("SB_RELAY_LOCK_KEY", 0x5b0a2d_0001L),
            duration("SB_EVENT_RETENTION", "24h"),
            duration("SB_RETENTION_INTERVAL", "60s"),
            duration("SB_RELAY_VACUUM_INTERVAL", "10s"),
            duration("SB_RELAY_LINGER", "0ms"),
            bool("SB_PUBLISH_DIRECT", true),
            duration("SB_PUBLISH_DIRECT_TIMEOUT", "500ms")),
        new SwitchboardConfig.Redis(
            string("SB_REDIS_URI", "redis://127.0.0.1:6379"),
            integer("SB_REDIS_POOL_SIZE", 8),
            string("SB_REDIS_KEY_PREFIX", "sb:")),
        ingest(),
        new SwitchboardConfig.Bridge(
            list(string("SB_BRIDGE_CHANNELS", "switchboard:publish")),
            string("SB_BRIDGE_STREAM", "switchboard:events:in"),
            string("SB_BRIDGE_GROUP", "switchboard"),
            string("SB_BRIDGE_DEAD_LETTER", "switchboard:dead-letter"),
            string("SB_BRIDGE_OUT_PREFIX", "switchboard:out:"),
            string("SB_BRIDGE_OUT_STREAM", ""),
            integer("SB_BRIDGE_OUT_STREAM_MAXLEN", 100_000),
            duration("SB_BRIDGE_OUT_LINGER", "10ms"),
            duration("SB_BRIDGE_CLAIM_IDLE", "30s"),
            duration("SB_BRIDGE_WATCH_INTERVAL", "2s"),
            longValue("SB_BRIDGE_LOCK_KEY", 0x5b0a2d_0002L),
            integer("SB_BRIDGE_READ_COUNT", 500)),
        new SwitchboardConfig.Console(
            bool("SB_CONSOLE_ENABLED", true),
            string("SB_CONSOLE_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            string("SB_CONSOLE_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors"),
            bool("SB_DEV_SIGNIN", false),
            string("SB_DEV_SIGNIN_TENANT", "demo"),
            duration("SB_DEV_SIGNIN_TTL", "12h")),
        new SwitchboardConfig.Metrics(
            bool("SB_METRICS_ENABLED", true),
            string("SB_METRICS_HOST", "127.0.0.1"),
            // Beside the node's own port, so that nodes sharing a host do not collide by default.
            integer("SB_METRICS_PORT", httpPort + 10_000),
            Set.copyOf(list(string("SB_METRICS_VERTX", "http_server,named_pools,event_bus").toLowerCase(Locale.ROOT)))),
        new SwitchboardConfig.Log(choice("SB_LOG_FORMAT", SwitchboardConfig.LogFormat.class,
            SwitchboardConfig.LogFormat.TEXT)),
        duration("SB_SHUTDOWN_GRACE", "5s"));
  }

  private SwitchboardConfig.Http http(int port) {
    String host = string("SB_HTTP_HOST", "0.0.0.0");
    int eventLoops = integer("SB_EVENT_LOOPS", 2 * Runtime.getRuntime().availableProcessors());
    int maxBodyBytes = integer("SB_HTTP_MAX_BODY_BYTES", 65536);
    List<String> corsOrigins = corsOrigins(list(string("SB_CORS_ORIGINS", "")));
    int publishRate = integer("SB_PUBLISH_RATE", 1000);
    int publishBurst = integer("SB_PUBLISH_BURST", 2000);
    boolean nativeTransport = bool("SB_NATIVE_TRANSPORT", true);
    Duration headerTimeout = duration("SB_HTTP_HEADER_TIMEOUT", "10s");
    Duration bodyTimeout = duration("SB_HTTP_BODY_TIMEOUT", "30s");
    Duration keepAliveTimeout = duration("SB_HTTP_KEEPALIVE_TIMEOUT", "75s");
    return new SwitchboardConfig.Http(host, port, eventLoops, maxBodyBytes, corsOrigins, publishRate, publishBurst,
        nativeTransport, new SwitchboardConfig.Deadlines(headerTimeout, bodyTimeout, keepAliveTimeout));
  }

  private SwitchboardConfig.Ingest ingest() {
    int osmandPort = integer("SB_OSMAND_PORT", 5055);
    Duration liveInterval = duration("SB_LIVE_INTERVAL", "1s");
    Duration livePublishWindow = duration("SB_LIVE_PUBLISH_WINDOW", "5ms");
    Duration historyFlushInterval = duration("SB_HISTORY_FLUSH_INTERVAL", "250ms");
    int historyBatchSize = integer("SB_HISTORY_BATCH_SIZE", 5_000);
    int bufferPoints = integer("SB_INGEST_BUFFER_POINTS", 200_000);
    int maxBatchPoints = integer("SB_MAX_BATCH_POINTS", 1_000);
    SwitchboardConfig.Filters filters = new SwitchboardConfig.Filters(
        bool("SB_FILTER_INVALID", true),
        bool("SB_FILTER_ZERO", true),
        bool("SB_FILTER_DUPLICATES", true),
        duration("SB_FILTER_MAX_FUTURE", "5m"),
        decimal("SB_FILTER_MAX_SPEED_KMH", 300),
        decimal("SB_FILTER_MAX_ACCURACY_M", 500));
    Duration positionRetention = duration("SB_POSITION_RETENTION", "7d");
    Duration staleAfter = duration("SB_FLEET_STALE_AFTER", "10m");
    double arrivalRadiusM = decimal("SB_ARRIVAL_RADIUS_M", 100);
    Duration etaInterval = duration("SB_ETA_INTERVAL", "30s");
    Duration activeRunsRefresh = duration("SB_ACTIVE_RUNS_REFRESH", "2s");
    int osmandMaxConnections = integer("SB_OSMAND_MAX_CONNECTIONS", 10_000);
    int osmandUnknownPerMinute = integer("SB_OSMAND_UNKNOWN_PER_MINUTE", 20);
    return new SwitchboardConfig.Ingest(osmandPort, liveInterval, livePublishWindow, historyFlushInterval,
        historyBatchSize, bufferPoints, maxBatchPoints, filters, positionRetention, staleAfter, arrivalRadiusM,
        etaInterval, activeRunsRefresh, osmandMaxConnections, osmandUnknownPerMinute);
  }

  /** Built from named locals: two swapped durations of the same type would compile silently. */
  private SwitchboardConfig.Sse sse() {
    Duration heartbeat = duration("SB_SSE_HEARTBEAT", "30s");
    Duration retry = duration("SB_SSE_RETRY", "2s");
    int maxBufferBytes = integer("SB_SSE_MAX_BUFFER_BYTES", 256 * 1024);
    Duration flushWindow = duration("SB_SSE_FLUSH_WINDOW", "0ms");
    int maxChannels = integer("SB_SSE_MAX_CHANNELS", 64);
    int replayPageSize = integer("SB_SSE_REPLAY_PAGE_SIZE", 500);
    Duration ticketTtl = duration("SB_STREAM_TICKET_TTL", "30s");
    int maxStreamsPerUser = integer("SB_MAX_STREAMS_PER_USER", 100);
    Duration streamQuotaTtl = duration("SB_STREAM_QUOTA_TTL", "15s");
    int maxStreamsPerIp = integer("SB_MAX_STREAMS_PER_IP", 1000);
    TrustedProxies trustedProxies;
    try {
      trustedProxies = TrustedProxies.parse(list(string("SB_TRUSTED_PROXIES", "127.0.0.1")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SB_TRUSTED_PROXIES: " + e.getMessage());
    }
    Duration accessRecheck = duration("SB_STREAM_RECHECK_INTERVAL", "30s");
    int openRate = integer("SB_STREAM_OPEN_RATE", 50);
    int openBurst = integer("SB_STREAM_OPEN_BURST", 500);
    int ticketRate = integer("SB_TICKET_RATE", 5);
    int ticketBurst = integer("SB_TICKET_BURST", 20);
    int anonymousReplayRate = integer("SB_ANONYMOUS_REPLAY_RATE", 1_000);
    return new SwitchboardConfig.Sse(heartbeat, retry, maxBufferBytes, flushWindow, maxChannels, replayPageSize,
        ticketTtl, maxStreamsPerUser, streamQuotaTtl, maxStreamsPerIp, trustedProxies, accessRecheck,
        new SwitchboardConfig.StreamRates(openRate, openBurst, ticketRate, ticketBurst, anonymousReplayRate));
  }

  private SwitchboardConfig.SocketIo socketIo() {
    Duration pingInterval = duration("SB_SOCKETIO_PING_INTERVAL", "25s");
    Duration pingTimeout = duration("SB_SOCKETIO_PING_TIMEOUT", "20s");
    int maxPayload = integer("SB_SOCKETIO_MAX_PAYLOAD", 1_000_000);
    Duration connectTimeout = duration("SB_SOCKETIO_CONNECT_TIMEOUT", "45s");
    int maxRooms = integer("SB_SOCKETIO_MAX_ROOMS", 64);
    Duration recoveryWindow = duration("SB_SOCKETIO_RECOVERY_WINDOW", "24h");
    return new SwitchboardConfig.SocketIo(pingInterval, pingTimeout, maxPayload, connectTimeout, maxRooms,
        recoveryWindow);
  }

  static Set<Role> roles(String spec) {
    if (spec.isBlank() || spec.equalsIgnoreCase("all")) {
      return EnumSet.allOf(Role.class);
    }
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : list(spec)) {
      try {
        roles.add(Role.valueOf(part.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SB_ROLES: unknown role '" + part + "' (known: all, "
            + Arrays.toString(Role.values()).toLowerCase(Locale.ROOT) + ")");
      }
    }
    return roles;
  }

  /** Durations are written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}; a bare number is seconds. */
  public static Duration parseDuration(String key, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(key + ": '" + text + "' is not a duration (e.g. 500ms, 30s, 5m, 24h)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /**
   * Origins allowed with credentials. {@code *} would let every site on the web read a signed-in user's API
   * answers and streams through the cookie, and browsers refuse {@code *} with credentials anyway: refused here,
   * so a deployment never believes it is configured when it is not.
   */
  private static List<String> corsOrigins(List<String> origins) {
    for (String o : origins) {
      if (o.equals("*") || o.equals("null")) {
        throw new IllegalArgumentException("SB_CORS_ORIGINS: '" + o + "' cannot be allowed with credentials;"
            + " list the origins of your web apps, e.g. https://shop.example.com");
      }
    }
    return origins;
  }

  private static List<String> list(String spec) {
    return Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private String string(String key, String def) {
    read.add(key);
    String v = values.get(key);
    return v == null ? def : v;
  }

  private int integer(String key, int def) {
    return (int) longValue(key, def);
  }

  private long longValue(String key, long def) {
    read.add(key);
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a number");
    }
  }

  private double decimal(String key, double def) {
    read.add(key);
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a number");
    }
  }

  /** Exactly {@code true} or {@code false} (any case): {@code yes} or {@code 1} must not quietly mean false. */
  private boolean bool(String key, boolean def) {
    read.add(key);
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + ": '" + v + "' must be true or false");
    };
  }

  /** One of {@code type}'s constants, in any case; anything else is an error that lists them. */
  private <E extends Enum<E>> E choice(String key, Class<E> type, E def) {
    read.add(key);
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException(key + ": '" + v + "' must be one of " + Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
  }

  private Duration duration(String key, String def) {
    return parseDuration(key, string(key, def));
  }
}
