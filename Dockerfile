# syntax=docker/dockerfile:1
# Switchboard node image: docker build -t switchboard:0.1.0 .
# Built from Maven Central and Debian-based Temurin images only; runs as a non-root user on a JRE 21.
# What it runs and how to configure it: docs/operations.md ("Containers and Kubernetes"), docs/configuration.md.

# --- build: the shaded node jar (modules/node/target/switchboard.jar) ---
FROM eclipse-temurin:21-jdk AS build
# npm installs the console's Leaflet from its package-lock.json (modules/console/pom.xml).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY modules modules
# Files the modules take from outside themselves: the Hazelcast defaults (node) and the JavaScript client that the
# console serves (console).
COPY deploy/hazelcast deploy/hazelcast
COPY clients/js/src clients/js/src
# BuildKit keeps the Maven repository between builds (a separate dependency:go-offline layer cannot resolve the
# reactor's own modules before they are built). Tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -pl modules/node -am package -DskipTests

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
