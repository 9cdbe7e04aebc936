package io.switchboard.core.config;

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
    Feed feed,
    Relay relay,
    Duration shutdownGrace) {

  public enum Role { API, GATEWAY, RELAY }

  /**
   * {@code corsOrigins}: origins allowed to call the API from a browser (credentials allowed), empty for none;
   * {@code publishRate}/{@code publishBurst}: events per second and burst per token subject on one node, 0 for
   * no limit.
   */
  public record Http(String host, int port, int eventLoops, int maxBodyBytes, List<String> corsOrigins,
                     int publishRate, int publishBurst) {}

  public record Postgres(String host, int port, String database, String user, String password, int poolSize,
                         Duration reconnectInterval) {
    public String jdbcUrl() {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
  }

  public record Cluster(boolean enabled, String name, String host, int port, List<String> members,
                        String hazelcastConfig, String eventBusHost, int eventBusPort) {}

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

  public record Sse(Duration heartbeat, Duration retry, int maxBufferBytes, Duration flushWindow, int maxChannels,
                    int replayPageSize, Duration ticketTtl, int maxStreamsPerUser, Duration streamQuotaTtl,
                    int maxStreamsPerIp, List<String> trustedProxies) {}

  public record Feed(int memoryEvents, Duration gapCheckInterval, int backfillPageSize) {}

  public record Relay(int batchSize, Duration pollInterval, long lockKey, Duration retention,
                      Duration retentionInterval) {}

  public boolean runs(Role role) {
    return roles.contains(role);
  }
}
