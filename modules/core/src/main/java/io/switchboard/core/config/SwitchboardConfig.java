package io.switchboard.core.config;

import io.switchboard.core.http.TrustedProxies;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The whole node configuration, typed. Built once by {@link ConfigLoader}; every option is documented in
 * docs/configuration.md with its default.
 */
public record SwitchboardConfig(
    String nodeId,
    Set<Role> roles,
    Http http,
    Postgres postgres,
    Cluster cluster,
    Auth auth,
    Sse sse,
    SocketIo socketIo,
    Feed feed,
    Relay relay,
    Redis redis,
    Ingest ingest,
    Bridge bridge,
    Console console,
    Metrics metrics,
    Log log,
    Duration shutdownGrace) {

  public enum Role { API, GATEWAY, RELAY, INGEST, BRIDGE }

  /**
   * Prometheus metrics at {@code /metrics} on a management port of its own ({@code host}: loopback by default, so the
   * public balancer does not expose it).
   */
  public record Metrics(boolean enabled, String host, int port, Set<String> vertxDomains) {}

  /** {@code json}: one JSON object per line with the node id and request ids; {@code text} (default): for people. */
  public record Log(LogFormat format) {}

  public enum LogFormat { TEXT, JSON }

  /**
   * How members find each other: {@code MEMBERS} lists them ({@code members}); {@code KUBERNETES} asks the DNS for
   * the addresses of a headless Service ({@code kubernetesServiceDns}, e.g.
   * {@code switchboard-hazelcast.default.svc.cluster.local}), on the cluster port.
   */
  public enum Discovery { MEMBERS, KUBERNETES }

  /**
   * {@code corsOrigins}: origins allowed to call the API from a browser (credentials allowed), empty for none;
   * {@code publishRate}/{@code publishBurst}: events per second and burst per token subject on one node, 0 for
   * no limit; {@code nativeTransport}: Netty's epoll transport where available (Linux), else NIO.
   */
  public record Http(String host, int port, int eventLoops, int maxBodyBytes, List<String> corsOrigins,
                     int publishRate, int publishBurst, boolean nativeTransport, Deadlines deadlines) {}

  /**
   * How long a client may take to send what it sends, on the HTTP and OsmAnd ports: a request's head after the
   * connection opened, its body after its head, the next request on a kept-alive connection. 0 turns one off.
   */
  public record Deadlines(Duration head, Duration body, Duration keepAlive) {}

  public record Postgres(String host, int port, String database, String user, String password, int poolSize,
                         Duration reconnectInterval) {
    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
  }

  public record Cluster(boolean enabled, String name, String host, int port, Discovery discovery,
                        List<String> members, String kubernetesServiceDns, Duration kubernetesDnsTimeout,
                        String hazelcastConfig, String eventBusHost, int eventBusPort) {
    public Cluster {
      if (discovery == Discovery.KUBERNETES && kubernetesServiceDns.isBlank()) {
        throw new IllegalArgumentException("SB_CLUSTER_DISCOVERY=kubernetes needs SB_CLUSTER_K8S_SERVICE_DNS, the DNS"
            + " name of the nodes' headless Service (e.g. switchboard-hazelcast.default.svc.cluster.local)");
      }
    }
  }

  /**
   * Token keys: an HS256 secret, PEM public keys (RS256/ES256, detected from the key), and/or a JWKS document (a
   * file or an http(s) URL, refreshed). At least one is required.
   */
  public record Auth(String jwtSecret, String issuer, Duration leeway, List<String> publicKeyFiles, String jwks,
                     Duration jwksRefresh, String audience) {

    public Auth(String jwtSecret, String issuer, Duration leeway) {
      this(jwtSecret, issuer, leeway, List.of(), "", Duration.ofMinutes(5), "");
    }

    public boolean hasKey() {
      return !jwtSecret.isBlank() || !publicKeyFiles.isEmpty() || !jwks.isBlank();
    }
  }

  /**
   * {@code accessRecheck}: how often the streams of customers and drivers, whose access rests on a relation (their
   * order, their run), are checked again; a stream whose relation ended is closed.
   */
  public record Sse(Duration heartbeat, Duration retry, int maxBufferBytes, Duration flushWindow, int maxChannels,
                    int replayPageSize, Duration ticketTtl, int maxStreamsPerUser, Duration streamQuotaTtl,
                    int maxStreamsPerIp, TrustedProxies trustedProxies, Duration accessRecheck,
                    StreamRates rates) {}

  /**
   * Rates per client address and node ({@code openRate}/{@code openBurst}: stream opens), per token subject and node
   * (tickets), and per anonymous stream ({@code anonymousReplayRate}: events a resume without a token is replayed per
   * second). 0 turns one off.
   */
  /**
   * The Socket.IO server ({@code /socket.io/}, docs/socketio.md): Engine.IO's heartbeat ({@code pingInterval},
   * {@code pingTimeout}) and largest accepted message or polling body ({@code maxPayload}, bytes); how long a new
   * engine connection may wait for its first namespace ({@code connectTimeout}); rooms per socket ({@code maxRooms});
   * how long a socket's session (its rooms) is kept for connection state recovery ({@code recoveryWindow}, counted
   * from the socket's last change, not refreshed by events).
   */
  public record SocketIo(Duration pingInterval, Duration pingTimeout, int maxPayload, Duration connectTimeout,
                         int maxRooms, Duration recoveryWindow) {}

  public record StreamRates(int openRate, int openBurst, int ticketRate, int ticketBurst, int anonymousReplayRate) {}

  public record Feed(int memoryEvents, Duration gapCheckInterval, int backfillPageSize) {}

  /**
   * {@code vacuumInterval}: how often the relay leader vacuums the outbox queue itself; zero leaves it to
   * autovacuum. {@code directPublish}: raw publishes go to the relay leader over the event bus and are numbered in
   * its next statement (false: through the outbox, as domain events); {@code directTimeout}: how long a publisher
   * waits for the leader before it writes the event to the outbox instead.
   */
  public record Relay(int batchSize, Duration pollInterval, long lockKey, Duration retention,
                      Duration retentionInterval, Duration vacuumInterval, Duration linger, boolean directPublish,
                      Duration directTimeout) {}

  /** Redis holds the live positions; {@code keyPrefix} namespaces every key (one deployment, or one test). */
  public record Redis(String uri, int poolSize, String keyPrefix) {}

  /**
   * GPS ingest. {@code liveInterval} is the conflation interval of the live streams; {@code livePublishWindow}
   * how long accepted fixes gather before going to the event bus; {@code bufferPoints} bounds the points accepted
   * but not yet in PostgreSQL (beyond it posts get 503); {@code osmandMaxConnections} bounds the OsmAnd port's open
   * connections on a node; {@code osmandUnknownPerMinute} how many "unknown device" answers a client address gets
   * per minute on a node (device keys are credentials: they must not be guessable by trying).
   */
  public record Ingest(int osmandPort, Duration liveInterval, Duration livePublishWindow,
                       Duration historyFlushInterval, int historyBatchSize, int bufferPoints, int maxBatchPoints,
                       Filters filters, Duration positionRetention, Duration staleAfter, double arrivalRadiusM,
                       Duration etaInterval, Duration activeRunsRefresh, int osmandMaxConnections,
                       int osmandUnknownPerMinute) {}

  /**
   * The Redis bridge. {@code channels}: pub/sub channels and patterns (with {@code *?[}) taken in;
   * {@code stream}/{@code group}: the durable inbound stream and its consumer group; {@code outPrefix}: mirror
   * every committed event as PUBLISH on prefix+channel (empty: off); {@code outStream}: also XADD to this capped
   * stream (empty: off); {@code outLinger}: how long the mirror gathers events before sending them (0: at once).
   */
  public record Bridge(List<String> channels, String stream, String group, String deadLetter, String outPrefix,
                       String outStream, int outStreamMaxLen, Duration outLinger, Duration claimIdle,
                       Duration watchInterval, long lockKey, int readCount) {}

  /**
   * The dispatcher console at {@code /console/}. {@code tileUrl}: the map's tile template (empty: a plain
   * background, no tiles); {@code devSignIn}: offer a sign-in that mints a dispatcher token of {@code devTenant}
   * without any credential, for a developer's local cluster only.
   */
  public record Console(boolean enabled, String tileUrl, String tileAttribution, boolean devSignIn,
                        String devTenant, Duration devTokenTtl) {}

  /** Fix filters; a limit of 0 turns its filter off. */
  public record Filters(boolean invalid, boolean zero, boolean duplicates, Duration maxFuture, double maxSpeedKmh,
                        double maxAccuracyM) {}

  public boolean runs(Role role) {
    return roles.contains(role);
  }
}
