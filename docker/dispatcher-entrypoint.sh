#!/bin/sh
# hostops dispatcher image entrypoint. All settings come from HOSTOPS_* variables (docs/API.md).
# One convenience: when HOSTOPS_TOKENS is not set and docker/secrets/tokens.yaml is mounted at
# /run/hostops/tokens.yaml, use it. Without any tokens file the dispatcher still starts, but only
# /healthz and /readyz answer; that keeps a fresh `docker compose up` working without a default
# token anyone could guess.
set -eu
if [ -z "${HOSTOPS_TOKENS:-}" ]; then
  if [ -f /run/hostops/tokens.yaml ]; then
    export HOSTOPS_TOKENS=/run/hostops/tokens.yaml
  else
    echo "hostops: no tokens file (create docker/secrets/tokens.yaml from docker/tokens.example.yaml, then restart)" >&2
  fi
fi
# JAVA_TOOL_OPTIONS (read by the JVM itself) can add JVM flags, e.g. -XX:MaxRAMPercentage=50.
exec java ${JAVA_OPTS:--XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1} -jar /opt/hostops/hostops.jar "$@"
