#!/usr/bin/env bash
# Requests per second for a stored rendition (a 12-megapixel photo's w1280.webp, made once, then read from the local
# store) beside the cached read of the demo story, against the same Release service in one run.
# Usage: bash tests/benchmarks/media-rps.sh [seconds per measurement, default 15]
# Needs wrk (apt-get install wrk) and jq. Sends requests to 127.0.0.1 only; stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-15}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install jq" >&2; exit 1; }

dotnet build src/NewsApi -c Release -v quiet -nologo >/dev/null
dotnet build tests/NewsApi.Benchmarks -c Release -v quiet -nologo >/dev/null
data=$(mktemp -d)
chmod 755 "$data"
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

base=http://127.0.0.1:5098
admin=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=$base NEWSAPI_ADMIN_KEY="$admin" \
Database__LocalDataDirectory="$data/pg" Database__LocalPort=54398 Demo__Load=true Media__LocalPath="$data/media" \
RateLimits__AnonymousReads__PermitLimit=1000000000 Logging__LogLevel__Default=Warning \
  dotnet src/NewsApi/bin/Release/net10.0/NewsApi.dll >"$data/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf $base/health/ready >/dev/null && break; sleep 0.5; done

editor=$(curl -sf -X POST $base/api/v1/api-keys -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"media-rps","role":"editor"}' | jq -r .key)
dotnet tests/NewsApi.Benchmarks/bin/Release/net10.0/NewsApi.Benchmarks.dll media --write-jpeg "$data/photo.jpg" 4000 3000
asset=$(curl -sf -D "$data/headers" -X POST $base/api/v1/assets -H "Authorization: Bearer $editor" -F "file=@$data/photo.jpg")
id=$(jq -r .id <<<"$asset")
etag=$(sed -n 's/^[Ee][Tt]ag: *//p' "$data/headers" | tr -d '\r')
url=$(curl -sf -X PATCH "$base/api/v1/assets/$id" -H "Authorization: Bearer $editor" -H "If-Match: $etag" \
  -H 'Content-Type: application/merge-patch+json' -d '{"public":true,"credit":"bench"}' \
  | jq -r '.renditions[] | select(.preset == "w1280" and .format == "webp") | .url')
made=$(curl -sf -o "$data/w1280.webp" -w '%{time_total}' "$base$url")
echo "== first request of $url (made and stored): ${made}s, $(stat -c %s "$data/w1280.webp") bytes"
curl -sf $base/api/v1/articles/slug/wuzhen-summit-why-wuzhen >/dev/null

for target in "$url" /api/v1/articles/slug/wuzhen-summit-why-wuzhen; do
  echo "== GET $target, 4 threads, 32 connections, ${seconds}s"
  wrk -t4 -c32 -d"${seconds}s" --latency "$base$target" | grep -E "Requests/sec|Transfer/sec|Latency|50%|99%|requests in|Non-2xx"
done
