#!/usr/bin/env bash
# Requests per second for the demo story by slug, with the service's own response cache on and off, in one run.
# Usage: bash tests/benchmarks/cache-rps.sh [seconds per measurement, default 15]
# Needs wrk (apt-get install wrk). Sends requests to 127.0.0.1 only; stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-15}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

dotnet build src/NewsApi -c Release -v quiet -nologo >/dev/null
data=$(mktemp -d)
chmod 755 "$data"
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

measure() { # $1: server cache on/off
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://127.0.0.1:5099 \
  Database__LocalDataDirectory="$data/pg-$1" Database__LocalPort=54399 Caching__ServerCache="$1" Demo__Load=true RateLimits__AnonymousReads__PermitLimit=1000000000 \
  Logging__LogLevel__Default=Warning \
    dotnet src/NewsApi/bin/Release/net10.0/NewsApi.dll >"$data/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5099/health/ready >/dev/null && break; sleep 0.5; done
  curl -sf http://127.0.0.1:5099/api/v1/articles/slug/wuzhen-summit-why-wuzhen >/dev/null
  echo "== server cache $1: GET /api/v1/articles/slug/wuzhen-summit-why-wuzhen, 4 threads, 32 connections, ${seconds}s"
  wrk -t4 -c32 -d"${seconds}s" --latency http://127.0.0.1:5099/api/v1/articles/slug/wuzhen-summit-why-wuzhen \
    | grep -E "Requests/sec|Latency|50%|99%|requests in"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}
measure "${2:-true}"
[ -n "${2:-}" ] || measure false
