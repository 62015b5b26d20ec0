#!/usr/bin/env bash
# Rehearses the apps' Dockerfiles without a container engine: runs each stage's COPY instructions
# (read from apps/<app>/Dockerfile) and its commands in plain folders, then starts every app from
# its runtime folder as the image's CMD would, in production mode, against the local Redis,
# Elasticsearch and Keycloak (`bash scripts/services.sh`), and asks its health routes and the
# image's HEALTHCHECK command. What it cannot show: the base image, apt's chromium, USER and the
# container's file-system permissions (docs/DEPLOYMENT.md, What was run).
#   bash tools/deploy/rehearse-images.sh [work-folder]
# Everything it writes to Redis and Elasticsearch carries a prefix of its own and is removed at the end.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d -t soc-rehearsal-XXXXXX)}"
prefix="rehearsal$RANDOM$RANDOM"
apps=(collector correlator alerting console)
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
elasticsearch_url="${ELASTICSEARCH_URL:-http://127.0.0.1:9200}"
issuer="${OIDC_ISSUER:-http://127.0.0.1:8180/realms/soc}"
pids=()

log() { printf '[rehearse] %s\n' "$*" >&2; }

# copies STAGE DOCKERFILE DEST: copies what the stage's COPY instructions (not --from) name.
copies() {
  local stage="$1" dockerfile="$2" dest="$3"
  awk -v stage="$stage" '/^FROM /{s=$NF} s==stage && /^COPY / && $2 !~ /^--from/ {$1=""; print}' "$dockerfile" |
    while read -r -a args; do
      local target="${args[-1]}"
      mkdir -p "$dest/$(dirname "$target")"
      for source in "${args[@]:0:${#args[@]}-1}"; do
        cp -r "$root/$source" "$dest/$target"
      done
    done
}

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
  redis-cli -u "$redis_url" --scan --pattern "*$prefix*" | xargs -r -d '\n' redis-cli -u "$redis_url" del >/dev/null
  for index in $(curl -s "$elasticsearch_url/_cat/indices/$prefix*?h=index&expand_wildcards=all"); do
    curl -s -X DELETE "$elasticsearch_url/$index" >/dev/null
  done
  for t in $(curl -s "$elasticsearch_url/_index_template/$prefix*?filter_path=index_templates.name" | grep -o '"name":"[^"]*"' | cut -d'"' -f4); do
    curl -s -X DELETE "$elasticsearch_url/_index_template/$t" >/dev/null
  done
}
trap cleanup EXIT

# The build stage is the same in every Dockerfile: run it once.
for app in "${apps[@]}"; do
  diff <(awk '/^FROM .* AS runtime/{exit} {print}' "$root/apps/collector/Dockerfile" | grep -v '^#') \
    <(awk '/^FROM .* AS runtime/{exit} {print}' "$root/apps/$app/Dockerfile" | grep -v '^#') >/dev/null ||
    { log "apps/$app/Dockerfile's build stage differs from the collector's: rehearse it on its own"; exit 1; }
done
log "build stage in $work/build"
mkdir -p "$work/build"
copies build "$root/apps/collector/Dockerfile" "$work/build"
(cd "$work/build" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm run --silent build)

port=14100
for app in "${apps[@]}"; do
  dir="$work/runtime-$app"
  log "$app: runtime stage in $dir"
  mkdir -p "$dir"
  copies runtime "$root/apps/$app/Dockerfile" "$dir"
  (cd "$dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp -r "$work/build/dist" "$dir/dist"
  upper="$(echo "$app" | tr a-z A-Z)"
  (
    cd "$dir"
    export NODE_ENV=production LOG_LEVEL=warn OIDC_ISSUER="$issuer" REDIS_URL="$redis_url" ELASTICSEARCH_URL="$elasticsearch_url"
    export KEY_PREFIX="$prefix" EVENTS_STREAM="$prefix:events" INDEX_PREFIX="$prefix" DETECTIONS_QUEUE="$prefix-detections" INCIDENTS_QUEUE="$prefix-incidents"
    export CONSOLE_SESSION_PREFIX="$prefix:console" CONSOLE_OIDC_CLIENT_SECRET="${CONSOLE_OIDC_CLIENT_SECRET:-soc-console-dev-secret}"
    export "${upper}_HOST=0.0.0.0" "${upper}_PORT=$port"
    [ "$app" = correlator ] && export RULES_DIR=rules
    exec node -r ./scripts/register-paths.js "dist/apps/$app/src/main.js"
  ) >"$work/$app.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 120); do
    code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)"
    [ "$code" = 200 ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || { log "$app exited: $(tail -5 "$work/$app.log")"; exit 1; }
    sleep 1
  done
  [ "$code" = 200 ] || { log "$app: /health/ready never answered 200 ($code); log $work/$app.log"; exit 1; }
  live="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/health/live")"
  (cd "$dir" && env "${upper}_PORT=$port" node -e "fetch('http://127.0.0.1:' + process.env.${upper}_PORT + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))")
  log "$app: ready 200, live $live, HEALTHCHECK command exit 0 (port $port, $(du -sh "$dir/node_modules" | cut -f1) of production dependencies)"
  port=$((port + 1))
done
log "all four apps started from their runtime stages"
