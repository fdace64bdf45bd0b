# syntax=docker/dockerfile:1
# hostops dispatcher image (compose.yaml builds it as `hostops-dispatcher`).
#
#   docker build -t hostops:local .
#   docker run --rm -p 127.0.0.1:8080:8080 -e HOSTOPS_BROKER=mqtt://broker:1883 hostops:local
#
# The jar is the same single executable `./hostops` builds, so the image can run any role
# (`docker run hostops:local broker run ...`); the default command is the dispatcher.

# ---- build: the same Maven command as the ./hostops launcher --------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY contracts/ contracts/
COPY broker/ broker/
COPY node-agent/ node-agent/
COPY dispatcher/ dispatcher/
COPY cli/ cli/
# BuildKit cache mount: ~/.m2 survives between builds, so a rebuild downloads nothing.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests package -pl cli -am

# ---- runtime: a JRE and the jar, as a non-root user ------------------------------------------------
FROM eclipse-temurin:17-jre
# A fixed uid/gid, so files in the /data volume and mounted secrets can be owned or granted to it.
RUN groupadd --system --gid 10001 hostops \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin hostops \
 && mkdir -p /data /opt/hostops \
 && chown 10001:10001 /data
COPY --from=build /src/cli/target/hostops.jar /opt/hostops/hostops.jar
COPY --chmod=755 docker/dispatcher-entrypoint.sh /usr/local/bin/hostops-entrypoint

# Settings are HOSTOPS_* variables (dispatcher/src/main/java/dev/hostops/dispatcher/DispatcherConfig.java,
# docs/API.md "Configuration"). Listen on all interfaces inside the container: compose.yaml decides
# what the host publishes (127.0.0.1 only by default). The SQLite ledger and the outbox live in /data.
ENV HOSTOPS_HTTP=0.0.0.0:8080 \
    HOSTOPS_DATA_DIR=/data \
    HOSTOPS_BROKER=mqtt://mosquitto:1883
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

# /healthz answers 200 while the process runs (no auth). The eclipse-temurin Ubuntu images ship curl
# (and wget), so no probe code is added to hostops for this. /readyz (broker and ledger) is stricter
# but would mark the container unhealthy while the broker is away, which the dispatcher tolerates.
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1

ENTRYPOINT ["/usr/local/bin/hostops-entrypoint"]
CMD ["dispatcher", "run"]
