# Switchboard node image: docker build -t switchboard:0.1.0 .
# Built from Maven Central and Debian-based Temurin images only; runs as a non-root user on a JRE 21.
# What it runs and how to configure it: docs/operations.md ("Containers and Kubernetes"), docs/configuration.md.

# --- build: the shaded node jar (modules/node/target/switchboard.jar) ---
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
# The Maven wrapper and the poms first, so that dependencies are a cached layer of their own.
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY modules/core/pom.xml modules/core/pom.xml
COPY modules/gateway/pom.xml modules/gateway/pom.xml
COPY modules/api/pom.xml modules/api/pom.xml
COPY modules/ingest/pom.xml modules/ingest/pom.xml
COPY modules/bridge/pom.xml modules/bridge/pom.xml
COPY modules/console/pom.xml modules/console/pom.xml
COPY modules/node/pom.xml modules/node/pom.xml
COPY modules/loadgen/pom.xml modules/loadgen/pom.xml
RUN ./mvnw -B -ntp -q -pl modules/node -am dependency:go-offline
COPY modules modules
COPY deploy/hazelcast deploy/hazelcast
RUN ./mvnw -B -ntp -q -pl modules/node -am package -DskipTests

# --- run ---
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid switchboard --home-dir /app --shell /usr/sbin/nologin switchboard \
 && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/modules/node/target/switchboard.jar /app/switchboard.jar
USER 10001:10001
# In a container the node listens on every interface; PostgreSQL, Redis and the peers come from the environment.
ENV SB_HTTP_HOST=0.0.0.0 \
    SB_HTTP_PORT=8081 \
    SB_METRICS_HOST=0.0.0.0 \
    SB_METRICS_PORT=9081 \
    SB_OSMAND_PORT=5055 \
    SB_CLUSTER_PORT=5701 \
    SB_EVENTBUS_PORT=5702 \
    SB_LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# HTTP (API, streams, Socket.IO), Prometheus, OsmAnd, Hazelcast, event bus.
EXPOSE 8081 9081 5055 5701 5702
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8081/health/ready || exit 1
# exec form: the JVM is PID 1's child-free process and gets SIGTERM, which drains the node (docs/operations.md).
ENTRYPOINT ["java", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-jar", "/app/switchboard.jar"]
