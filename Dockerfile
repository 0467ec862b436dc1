# syntax=docker/dockerfile:1
# The tlsrpt image: `serve` (an ingest node), `worker`, and every other command of the tlsrpt CLI.
#   docker build -t tlsrpt .
#   docker run --rm tlsrpt --help
# Settings come only from TLSRPT_* environment variables (docs/configuration.md). In a container
# tlsrpt stores into a ClickHouse server (TLSRPT_CLICKHOUSE_URL); the embedded engine is not shipped.
# docker-compose.yml runs the whole Kafka pipeline with it (docs/deployment.md).

# ---- build: the same Maven build as the ./tlsrpt launcher --------------------------------------
FROM maven:3.9.11-eclipse-temurin-25 AS build
WORKDIR /src
# Maven 3.9 on JDK 25 warns about sun.misc.Unsafe in its own libraries; the warning is not ours.
ENV MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow"
COPY . .
# The cache mount keeps Maven and the libraries between builds; tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests -Dspotless.check.skip=true package -pl app -am \
 && test -f app/target/tlsrpt.jar

# ---- runtime: a JRE, the jar, a non-root user ---------------------------------------------------
FROM eclipse-temurin:25-jre-noble
# curl serves the HEALTHCHECK below and the healthchecks of docker-compose.yml.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 tlsrpt \
 && useradd --system --uid 10001 --gid tlsrpt --home-dir /var/lib/tlsrpt --shell /usr/sbin/nologin tlsrpt \
 && mkdir -p /opt/tlsrpt /var/lib/tlsrpt \
 && chown tlsrpt:tlsrpt /var/lib/tlsrpt
COPY --from=build /src/app/target/tlsrpt.jar /opt/tlsrpt/tlsrpt.jar

# Defaults for a container: listen on every interface (the defaults of a host install are loopback
# only), keep state on the volume, and size the heap from the container's memory limit.
# TLSRPT_JAVA_OPTS, as with ./tlsrpt, passes options to the JVM; setting it replaces this default.
ENV TLSRPT_DATA_DIR=/var/lib/tlsrpt \
    TLSRPT_HTTP_LISTEN=0.0.0.0:8080 \
    TLSRPT_SMTP_LISTEN=0.0.0.0:2525 \
    TLSRPT_WORKER_LISTEN=0.0.0.0:8081 \
    TLSRPT_JAVA_OPTS="-XX:MaxRAMPercentage=75"

USER tlsrpt:tlsrpt
WORKDIR /var/lib/tlsrpt
# DATA_DIR holds serve's state beside ClickHouse: the self-signed STARTTLS certificate when no key
# store is given, the IMAP poller's checkpoint, and the local spool in pipeline.mode=local.
VOLUME ["/var/lib/tlsrpt"]
# 2525: SMTP (serve). 8080: HTTP(S) receiver, /health, /metrics, /api/summary (serve).
# 8081: /health, /metrics, /api/summary of `tlsrpt worker`.
EXPOSE 2525 8080 8081

# serve answers /health on 8080, worker on 8081; a one-off command (import, reprocess) has neither.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/health \
   || curl -fsS -o /dev/null http://127.0.0.1:8081/health \
   || exit 1

# The JVM flags of the ./tlsrpt launcher, then TLSRPT_JAVA_OPTS (split into words, as there), then
# the command's arguments. `exec` leaves the JVM as PID 1, so `docker stop` (SIGTERM) stops it cleanly.
ENTRYPOINT ["/bin/sh", "-c", "exec java --enable-native-access=ALL-UNNAMED ${TLSRPT_JAVA_OPTS} -jar /opt/tlsrpt/tlsrpt.jar \"$@\"", "tlsrpt"]
CMD ["serve"]
