#!/usr/bin/env bash
# Make sure the local backing services of the project answer:
#   * Redis          (REDIS_URL,         default redis://127.0.0.1:6379)
#   * Elasticsearch 8 (ELASTICSEARCH_URL, default http://127.0.0.1:9200)
#   * Keycloak 26    (KEYCLOAK_URL,      default http://127.0.0.1:8180; KEYCLOAK=off skips it)
#
# Usage: scripts/services.sh [start|stop [es|keycloak]|status|redis|es|keycloak]   (default: start)
#
# Used by `npm start`, `npm test` and CI. Idempotent: services that already
# answer are reused; a second call is a fast no-op. See docs/LOCAL-SERVICES.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:9200}"
ELASTICSEARCH_URL="${ELASTICSEARCH_URL%/}"
# Newest 8.x integ-test-zip served by Maven Central, verified to start on Java 17.
ES_VERSION="${ES_VERSION:-8.19.21}"
ES_HEAP="${ES_HEAP:-1g}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"
REDIS_START_TIMEOUT="${REDIS_START_TIMEOUT:-30}"
# fsync policy of a Redis this script starts (deploy/redis/redis.conf): everysec, always or no.
REDIS_APPENDFSYNC="${REDIS_APPENDFSYNC:-everysec}"
SERVICES_DIR="${SERVICES_DIR:-$ROOT/.services}"
KEYCLOAK="${KEYCLOAK:-on}"
KEYCLOAK_URL="${KEYCLOAK_URL:-http://127.0.0.1:8180}"
KEYCLOAK_URL="${KEYCLOAK_URL%/}"
KC_VERSION="${KC_VERSION:-26.5.6}"
KEYCLOAK_REALM="soc"
# The first start also builds Keycloak (about 35 s idle, 60 s at load 25 on 2 cores).
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-360}"
KEYCLOAK_HEAP="${KEYCLOAK_HEAP:--Xms64m -Xmx512m}"
# Development credentials of the master realm's bootstrap admin (docs/LOCAL-SERVICES.md).
KEYCLOAK_ADMIN_USER="${KEYCLOAK_ADMIN_USER:-admin}"
KEYCLOAK_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:-admin-dev-pw}"
KC_ARTIFACT="org.keycloak:keycloak-quarkus-dist:${KC_VERSION}:zip"
# Keycloak runs as the caller (root is fine), so it keeps the checkout's folder even when
# Elasticsearch has to move SERVICES_DIR to a place its service user can reach.
KC_SERVICES_DIR="$SERVICES_DIR"
SERVICE_USER="${SERVICE_USER:-socsvc}"
ES_CLUSTER_NAME="soc-local"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"

export DEBIAN_FRONTEND=noninteractive

log() { echo "[services] $*"; }
warn() { echo "[services] WARNING: $*" >&2; }
die() { echo "[services] ERROR: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
is_local_host() { case "$1" in 127.*|localhost|::1|\[::1\]|0.0.0.0) return 0 ;; *) return 1 ;; esac; }

# ---------------------------------------------------------------- Redis ----

parse_redis_url() {
  local rest="${REDIS_URL#*://}" auth=""
  rest="${rest%%/*}"
  if [[ "$rest" == *@* ]]; then auth="${rest%@*}"; rest="${rest##*@}"; fi
  REDIS_PASS=""
  [ -n "$auth" ] && REDIS_PASS="${auth#*:}"
  if [[ "$rest" == \[*\]* ]]; then          # [ipv6]:port
    REDIS_HOST="${rest%%]*}"; REDIS_HOST="${REDIS_HOST#[}"
    REDIS_PORT="${rest##*]:}"; [[ "$REDIS_PORT" == "$rest" ]] && REDIS_PORT=6379
  elif [[ "$rest" == *:* ]]; then
    REDIS_HOST="${rest%%:*}"; REDIS_PORT="${rest##*:}"
  else
    REDIS_HOST="$rest"; REDIS_PORT=6379
  fi
  [ -n "$REDIS_HOST" ] || REDIS_HOST=127.0.0.1
  [ -n "$REDIS_PORT" ] || REDIS_PORT=6379
}

# Send one inline command; print the first reply line (without CR).
redis_cmd() {
  if have redis-cli; then
    local t=(); have timeout && t=(timeout 5)
    "${t[@]}" redis-cli -u "$REDIS_URL" --no-auth-warning "$@" 2>/dev/null </dev/null | head -n1 || true
    return 0
  fi
  # Fallback without redis-cli: RESP over bash /dev/tcp.
  local host="$REDIS_HOST" reply="" arg
  [ "$host" = localhost ] && host=127.0.0.1
  {
    exec 3<>"/dev/tcp/$host/$REDIS_PORT"
    if [ -n "$REDIS_PASS" ]; then
      printf '*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n' "${#REDIS_PASS}" "$REDIS_PASS" >&3
      IFS= read -r -t 3 reply <&3 || true
    fi
    printf '*%d\r\n' "$#" >&3
    for arg in "$@"; do printf '$%d\r\n%s\r\n' "${#arg}" "$arg" >&3; done
    IFS= read -r -t 3 reply <&3 || true
    exec 3<&- 3>&-
  } 2>/dev/null || true
  reply="${reply%$'\r'}"
  printf '%s\n' "${reply#+}"
}

redis_ping() { [ "$(redis_cmd PING)" = PONG ]; }

# CONFIG GET <name>: print its value (the reply's second element), nothing if it cannot be read.
redis_config_get() {
  if have redis-cli; then
    local t=(); have timeout && t=(timeout 5)
    "${t[@]}" redis-cli -u "$REDIS_URL" --no-auth-warning CONFIG GET "$1" 2>/dev/null </dev/null | sed -n 2p || true
    return 0
  fi
  local host="$REDIS_HOST" line="" value="" n=0
  [ "$host" = localhost ] && host=127.0.0.1
  {
    exec 3<>"/dev/tcp/$host/$REDIS_PORT"
    if [ -n "$REDIS_PASS" ]; then
      printf '*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n' "${#REDIS_PASS}" "$REDIS_PASS" >&3
      IFS= read -r -t 3 line <&3 || true
    fi
    printf '*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$%d\r\n%s\r\n' "${#1}" "$1" >&3
    # *2, $len, name, $len, value
    while [ "$n" -lt 5 ] && IFS= read -r -t 3 line <&3; do n=$((n + 1)); value="${line%$'\r'}"; done
    exec 3<&- 3>&-
  } 2>/dev/null || true
  [ "$n" -eq 5 ] && printf '%s\n' "$value"
  return 0
}

# Says whether the Redis at REDIS_URL keeps its data on disk; warns loudly when it does not.
report_redis_persistence() {
  local aof save fsync
  aof="$(redis_config_get appendonly)"; save="$(redis_config_get save)"; fsync="$(redis_config_get appendfsync)"
  if [ "$aof" = yes ]; then
    log "redis: persistent (append-only file, appendfsync ${fsync:-?}${save:+, RDB snapshots \"$save\"})"
  elif [ -z "$aof" ]; then
    warn "redis: could not read CONFIG GET appendonly/save at $REDIS_HOST:$REDIS_PORT: make sure it persists (docs/OPERATIONS.md, Redis persistence)"
  elif [ -n "$save" ]; then
    warn "redis: $REDIS_HOST:$REDIS_PORT has no append-only file, only RDB snapshots (save \"$save\"): a restart loses every write since the last snapshot (docs/OPERATIONS.md, Redis persistence)"
  else
    warn "redis: $REDIS_HOST:$REDIS_PORT KEEPS NOTHING ON DISK (appendonly no, save \"\"): a restart loses every queued event, window, campaign, forwarder key and job (docs/OPERATIONS.md, Redis persistence)"
  fi
}

ensure_redis() {
  parse_redis_url
  case "$REDIS_APPENDFSYNC" in always|everysec|no) ;; *) die "redis: REDIS_APPENDFSYNC must be always, everysec or no (not '$REDIS_APPENDFSYNC')" ;; esac
  if redis_ping; then
    log "redis: reusing $REDIS_HOST:$REDIS_PORT (PONG)"
  else
    is_local_host "$REDIS_HOST" || die "redis: $REDIS_URL does not answer PING and is not local; start it yourself"
    if ! have redis-server; then
      if is_root && have apt-get; then
        log "redis: redis-server not found, installing it with apt-get"
        { apt-get install -y -q redis-server >/dev/null 2>&1 ||
          { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q redis-server >/dev/null 2>&1; }; } ||
          die "redis: apt-get install redis-server failed"
        # The package's postinst may already have started one.
        redis_ping && log "redis: package-installed server answers"
      else
        die "redis: nothing answers at $REDIS_URL and redis-server is not installed (need root + apt-get to install it)"
      fi
    fi
    if ! redis_ping; then
      local dir="$SERVICES_DIR/redis" bind="$REDIS_HOST"
      [ "$bind" = localhost ] && bind=127.0.0.1
      mkdir -p "$dir"
      log "redis: starting redis-server on $bind:$REDIS_PORT with deploy/redis/redis.conf (append-only file, appendfsync $REDIS_APPENDFSYNC, data and log in $dir)"
      local args=("$ROOT/deploy/redis/redis.conf" --daemonize yes --bind "$bind" --port "$REDIS_PORT"
                  --appendfsync "$REDIS_APPENDFSYNC" --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid")
      [ -n "$REDIS_PASS" ] && args+=(--requirepass "$REDIS_PASS")
      redis-server "${args[@]}" || die "redis: redis-server failed to start (see $dir/redis.log)"
      local deadline=$((SECONDS + REDIS_START_TIMEOUT))
      until redis_ping; do
        if [ "$SECONDS" -ge "$deadline" ]; then
          tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
          die "redis: no PONG from $REDIS_HOST:$REDIS_PORT after ${REDIS_START_TIMEOUT}s"
        fi
        sleep 0.5
      done
      log "redis: ready"
    fi
  fi
  report_redis_persistence
  # BullMQ requires noeviction.
  [ "$(redis_cmd CONFIG SET maxmemory-policy noeviction)" = OK ] ||
    warn "redis: could not CONFIG SET maxmemory-policy noeviction (BullMQ wants it)"
}

# -------------------------------------------------------- Elasticsearch ----

parse_es_url() {
  local rest="${ELASTICSEARCH_URL#*://}"
  rest="${rest%%/*}"; rest="${rest##*@}"
  if [[ "$rest" == *:* ]]; then ES_HOST="${rest%%:*}"; ES_PORT="${rest##*:}"; else ES_HOST="$rest"; ES_PORT=9200; fi
  [ "$ES_HOST" = localhost ] && ES_BIND=127.0.0.1 || ES_BIND="$ES_HOST"
}

# Prints green/yellow/red, or nothing when it does not answer.
es_status() {
  curl -s -m 5 "$ELASTICSEARCH_URL/_cluster/health?timeout=2s" 2>/dev/null |
    sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true
}
es_healthy() { case "$(es_status)" in green|yellow) return 0 ;; *) return 1 ;; esac; }
es_version() {
  # GET / is missing from the test distribution; the node info carries the version too.
  curl -s -m 5 "$ELASTICSEARCH_URL/_nodes/_local?filter_path=nodes.*.version" 2>/dev/null \
    | sed -n 's/.*"version":"\([^"]*\)".*/\1/p' || true
}

run_as_service_user() {
  if is_root; then
    if have runuser; then runuser -u "$SERVICE_USER" -- "$@"
    else setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups -- "$@"; fi
  else
    "$@"
  fi
}

ensure_service_user() {
  is_root || return 0
  if ! id "$SERVICE_USER" >/dev/null 2>&1; then
    log "elasticsearch: creating system user $SERVICE_USER (Elasticsearch refuses to run as root)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SERVICE_USER" 2>/dev/null ||
      adduser --system --group --no-create-home "$SERVICE_USER" >/dev/null ||
      die "elasticsearch: could not create user $SERVICE_USER"
  fi
  # The service user must be able to reach the folder (a checkout under /root is not).
  mkdir -p "$SERVICES_DIR"
  if ! run_as_service_user test -r "$SERVICES_DIR" -a -x "$SERVICES_DIR" 2>/dev/null; then
    local alt="/var/lib/$SERVICE_USER/$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    log "elasticsearch: $SERVICE_USER cannot reach $SERVICES_DIR, using $alt instead"
    SERVICES_DIR="$alt"
    mkdir -p "$SERVICES_DIR"
    chmod 755 "/var/lib/$SERVICE_USER"
  fi
}

es_paths() {
  ES_HOME="$SERVICES_DIR/elasticsearch-$ES_VERSION"
  ES_DATA="$SERVICES_DIR/es-data"
  ES_LOGS="$SERVICES_DIR/es-logs"
  ES_TMP="$SERVICES_DIR/es-tmp"
  # Snapshot repositories (docs/OPERATIONS.md, Backups) may only live under path.repo.
  ES_SNAPSHOTS="${ES_SNAPSHOTS:-$SERVICES_DIR/es-snapshots}"
  ES_PIDFILE="$SERVICES_DIR/es.pid"
}

java_major() {
  "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'
}

# pick_java MIN [PREFERRED_HOME]: the first JDK of at least major version MIN.
pick_java() {
  local min="$1" cand major
  for cand in "${2:-}" \
              "$( (have java && dirname "$(dirname "$(readlink -f "$(command -v java)")")") || true)" \
              "${JAVA_HOME:-}" \
              $(ls -d /usr/lib/jvm/*17* /usr/lib/jvm/*21* /usr/lib/jvm/temurin-* /usr/lib/jvm/* 2>/dev/null); do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    major="$(java_major "$cand")"
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then echo "$cand"; return 0; fi
  done
  return 1
}

# The integ-test-zip has no "rest-root" module: GET / and HEAD / answer 405. The product
# checks readiness with _cluster/health instead, so nothing here needs the root endpoint.

install_es() {
  [ -x "$ES_HOME/bin/elasticsearch" ] && [ -f "$ES_HOME/.installed" ] && return 0
  local m2="${MAVEN_REPO:-$HOME/.m2/repository}"
  local zip="$m2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
  if [ ! -s "$zip" ]; then
    have mvn || die "elasticsearch: mvn is needed to fetch $ES_ARTIFACT from Maven Central"
    log "elasticsearch: downloading $ES_ARTIFACT with Maven"
    local mvnlog; mvnlog="$(mktemp)"
    if ! mvn -B -q dependency:get -Dartifact="$ES_ARTIFACT" -Dtransitive=false </dev/null >"$mvnlog" 2>&1; then
      tail -n 30 "$mvnlog" >&2; rm -f "$mvnlog"
      die "elasticsearch: could not download $ES_ARTIFACT (set ES_VERSION to a version Maven Central serves)"
    fi
    rm -f "$mvnlog"
    [ -s "$zip" ] || die "elasticsearch: Maven reported success but $zip is missing (custom local repo? set MAVEN_REPO)"
  fi
  have unzip || { is_root && have apt-get && apt-get install -y -q unzip >/dev/null 2>&1; } || die "elasticsearch: unzip is required"
  log "elasticsearch: unpacking $ES_VERSION into $ES_HOME"
  local tmp="$SERVICES_DIR/.unpack.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  unzip -q "$zip" -d "$tmp"
  rm -rf "$ES_HOME"
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
  rm -rf "$tmp"
  touch "$ES_HOME/.installed"
}

es_pid_alive() {
  [ -f "$ES_PIDFILE" ] || return 1
  local pid; pid="$(cat "$ES_PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q org.elasticsearch
}

dump_es_logs() {
  local f
  for f in "$ES_LOGS/$ES_CLUSTER_NAME.log" "$ES_LOGS/startup.out"; do
    [ -s "$f" ] || continue
    echo "[services] ---- last lines of $f ----" >&2
    tail -n 30 "$f" >&2 || true
  done
}

wait_es_healthy() {
  local deadline=$((SECONDS + ES_START_TIMEOUT))
  until es_healthy; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      dump_es_logs
      die "elasticsearch: not green/yellow at $ELASTICSEARCH_URL after ${ES_START_TIMEOUT}s (status: $(es_status | grep . || echo 'no answer'))"
    fi
    if [ -n "${1:-}" ] && ! kill -0 "$1" 2>/dev/null && ! es_pid_alive; then
      dump_es_logs
      die "elasticsearch: the process exited during startup"
    fi
    sleep 1
  done
  curl -s -m 10 "$ELASTICSEARCH_URL/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1 || true
}

ensure_es() {
  have curl || die "curl is required"
  parse_es_url
  if es_healthy; then
    local v; v="$(es_version)"
    log "elasticsearch: reusing $ELASTICSEARCH_URL (status $(es_status)${v:+, version $v})"
    [ -z "$v" ] || [[ "$v" == 8.* ]] || warn "elasticsearch: $ELASTICSEARCH_URL runs $v, not 8.x"
    return 0
  fi
  is_local_host "$ES_HOST" || die "elasticsearch: $ELASTICSEARCH_URL is not healthy and is not local; start it yourself"

  ensure_service_user
  es_paths
  mkdir -p "$SERVICES_DIR"
  # One starter at a time (npm start and npm test may race).
  if have flock; then
    exec 9>"$SERVICES_DIR/.es.lock"
    flock -w "$ES_START_TIMEOUT" 9 || die "elasticsearch: timed out waiting for another services.sh"
    if es_healthy; then log "elasticsearch: started meanwhile by another call, reusing it"; return 0; fi
  fi
  if es_pid_alive; then
    log "elasticsearch: pid $(cat "$ES_PIDFILE") is starting, waiting for it"
    wait_es_healthy
    log "elasticsearch: ready at $ELASTICSEARCH_URL (version $(es_version))"
    return 0
  fi

  JAVA_HOME_ES="$(pick_java 17 "${ES_JAVA_HOME:-}")" || die "elasticsearch: no Java >= 17 found (set ES_JAVA_HOME)"
  install_es
  mkdir -p "$ES_DATA" "$ES_LOGS" "$ES_TMP" "$ES_SNAPSHOTS"
  rm -f "$ES_PIDFILE"
  if is_root; then chown -R "$SERVICE_USER:" "$SERVICES_DIR"; fi

  log "elasticsearch: starting $ES_VERSION on $ES_BIND:$ES_PORT (java $(java_major "$JAVA_HOME_ES") at $JAVA_HOME_ES, heap $ES_HEAP)"
  local t0=$SECONDS
  (
    ulimit -n 65535 2>/dev/null || true
    cd "$ES_HOME"
    # -d: the launcher returns once the node runs in the background.
    run_as_service_user env -u JAVA_HOME ES_JAVA_HOME="$JAVA_HOME_ES" ES_TMPDIR="$ES_TMP" \
      ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP ${ES_EXTRA_JAVA_OPTS:-}" \
      CLI_JAVA_OPTS="-Djava.io.tmpdir=$ES_TMP" \
      "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE" \
        -Ecluster.name="$ES_CLUSTER_NAME" \
        -Enode.name=soc-local-node \
        -Enetwork.host="$ES_BIND" -Ehttp.port="$ES_PORT" -Etransport.port=9300-9399 \
        -Ediscovery.type=single-node \
        -Expack.security.enabled=false \
        -Ecluster.routing.allocation.disk.threshold_enabled=false \
        -Eaction.destructive_requires_name=false \
        -Epath.data="$ES_DATA" -Epath.logs="$ES_LOGS" -Epath.repo="$ES_SNAPSHOTS"
  ) </dev/null >"$ES_LOGS/startup.out" 2>&1 9>&- &
  local launcher=$!
  wait_es_healthy "$launcher"
  wait "$launcher" 2>/dev/null || true
  log "elasticsearch: ready at $ELASTICSEARCH_URL (version $(es_version), status $(es_status), $((SECONDS - t0))s, pid $(cat "$ES_PIDFILE" 2>/dev/null || echo '?'))"
}

stop_es() {
  parse_es_url
  if is_root && id "$SERVICE_USER" >/dev/null 2>&1 && [ -d "$SERVICES_DIR" ] &&
     ! run_as_service_user test -r "$SERVICES_DIR" -a -x "$SERVICES_DIR" 2>/dev/null; then
    SERVICES_DIR="/var/lib/$SERVICE_USER/$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  fi
  es_paths
  if ! es_pid_alive; then
    rm -f "$ES_PIDFILE"
    log "elasticsearch: no Elasticsearch started by this script is running (pidfile $ES_PIDFILE)"
    return 0
  fi
  local pid; pid="$(cat "$ES_PIDFILE")"
  log "elasticsearch: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then warn "elasticsearch: pid $pid ignored SIGTERM for 60s, killing it"; kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.5
  done
  rm -f "$ES_PIDFILE"
  log "elasticsearch: stopped"
}

# ------------------------------------------------------------- Keycloak ----

parse_kc_url() {
  local rest="${KEYCLOAK_URL#*://}"
  rest="${rest%%/*}"
  if [[ "$rest" == *:* ]]; then KC_HOST="${rest%%:*}"; KC_PORT="${rest##*:}"; else KC_HOST="$rest"; KC_PORT=80; fi
  [ "$KC_HOST" = localhost ] && KC_BIND=127.0.0.1 || KC_BIND="$KC_HOST"
  KC_MANAGEMENT_PORT="${KEYCLOAK_MANAGEMENT_PORT:-$((KC_PORT + 1))}"
  KC_DISCOVERY="$KEYCLOAK_URL/realms/$KEYCLOAK_REALM/.well-known/openid-configuration"
}

kc_paths() {
  KC_HOME="$KC_SERVICES_DIR/keycloak-$KC_VERSION"
  KC_LOG="$KC_SERVICES_DIR/keycloak.log"
  KC_PIDFILE="$KC_SERVICES_DIR/keycloak.pid"
  # Hash of the realm files the dev database was imported from (next to that database).
  KC_REALM_HASH="$KC_HOME/data/realm-files.sha256"
}

# The issuer the realm's discovery document names, nothing when it does not answer.
kc_issuer() {
  curl -s -m 5 "$KC_DISCOVERY" 2>/dev/null | sed -n 's/.*"issuer":"\([^"]*\)".*/\1/p' || true
}
kc_ready() { [ -n "$(kc_issuer)" ]; }

kc_realm_files_hash() {
  local f
  for f in "$ROOT"/deploy/keycloak/*.json; do printf '%s ' "$(basename "$f")"; cat "$f"; done | sha256sum | cut -d' ' -f1
}

kc_pid_alive() {
  [ -f "$KC_PIDFILE" ] || return 1
  local pid; pid="$(cat "$KC_PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -e 'kc\.sh' -e QuarkusEntryPoint
}

install_keycloak() {
  [ -x "$KC_HOME/bin/kc.sh" ] && [ -f "$KC_HOME/.installed" ] && return 0
  local m2="${MAVEN_REPO:-$HOME/.m2/repository}"
  local zip="$m2/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip"
  if [ ! -s "$zip" ]; then
    have mvn || die "keycloak: mvn is needed to fetch $KC_ARTIFACT from Maven Central"
    log "keycloak: downloading $KC_ARTIFACT with Maven"
    local mvnlog; mvnlog="$(mktemp)"
    if ! mvn -B -q dependency:get -Dartifact="$KC_ARTIFACT" -Dtransitive=false </dev/null >"$mvnlog" 2>&1; then
      tail -n 30 "$mvnlog" >&2; rm -f "$mvnlog"
      die "keycloak: could not download $KC_ARTIFACT (set KC_VERSION to a version Maven Central serves)"
    fi
    rm -f "$mvnlog"
    [ -s "$zip" ] || die "keycloak: Maven reported success but $zip is missing (custom local repo? set MAVEN_REPO)"
  fi
  have unzip || { is_root && have apt-get && apt-get install -y -q unzip >/dev/null 2>&1; } || die "keycloak: unzip is required"
  log "keycloak: unpacking $KC_VERSION into $KC_HOME"
  local tmp="$KC_SERVICES_DIR/.unpack-kc.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  unzip -q "$zip" -d "$tmp"
  rm -rf "$KC_HOME"
  mv "$tmp/keycloak-$KC_VERSION" "$KC_HOME"
  rm -rf "$tmp"
  touch "$KC_HOME/.installed"
}

# --import-realm skips realms that already exist, so a changed realm file only takes effect on
# an empty dev database: wipe it (and with it every change made through the admin console).
prepare_realm_import() {
  local want have_hash=""
  want="$(kc_realm_files_hash)"
  [ -f "$KC_REALM_HASH" ] && have_hash="$(cat "$KC_REALM_HASH")"
  if [ -d "$KC_HOME/data/h2" ] && [ "$want" != "$have_hash" ]; then
    log "keycloak: deploy/keycloak/*.json changed since the last import: wiping the dev database ($KC_HOME/data/h2) to import them again"
    rm -rf "$KC_HOME/data/h2"
  fi
  rm -rf "$KC_HOME/data/import"
  mkdir -p "$KC_HOME/data/import"
  cp "$ROOT"/deploy/keycloak/*.json "$KC_HOME/data/import/"
  KC_WANTED_HASH="$want"
}

dump_kc_log() {
  [ -s "$KC_LOG" ] || return 0
  echo "[services] ---- last lines of $KC_LOG ----" >&2
  tail -n 30 "$KC_LOG" >&2 || true
}

wait_kc_ready() {
  local deadline=$((SECONDS + KEYCLOAK_START_TIMEOUT))
  until kc_ready; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      dump_kc_log
      die "keycloak: realm $KEYCLOAK_REALM not served at $KC_DISCOVERY after ${KEYCLOAK_START_TIMEOUT}s"
    fi
    if ! kc_pid_alive; then
      dump_kc_log
      die "keycloak: the process exited during startup"
    fi
    sleep 1
  done
}

kc_rss_mb() {
  local pid kids p sum=0
  pid="$(cat "$KC_PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  # kc.sh may keep running as the parent of the JVM; count both.
  kids="$(pgrep -P "$pid" 2>/dev/null || true)"
  for p in $pid $kids; do sum=$((sum + $(ps -o rss= -p "$p" 2>/dev/null || echo 0))); done
  echo "$((sum / 1024))"
}

start_keycloak() {
  local java_home t0 args
  java_home="$(pick_java 21 "${KEYCLOAK_JAVA_HOME:-}")" || die "keycloak: no Java >= 21 found (set KEYCLOAK_JAVA_HOME)"
  install_keycloak
  prepare_realm_import
  rm -f "$KC_PIDFILE"
  args=(start-dev --http-host="$KC_BIND" --http-port="$KC_PORT"
        --http-management-port="$KC_MANAGEMENT_PORT" --health-enabled=true
        --hostname="$KEYCLOAK_URL" --import-realm)
  log "keycloak: starting $KC_VERSION on $KC_BIND:$KC_PORT (management $KC_MANAGEMENT_PORT, java $(java_major "$java_home") at $java_home, heap $KEYCLOAK_HEAP, log $KC_LOG)"
  t0=$SECONDS
  # Its own session, so the end of `npm test` or a Ctrl-C in `npm start` does not stop it.
  (
    cd "$KC_HOME"
    exec env JAVA_HOME="$java_home" JAVA_OPTS_KC_HEAP="$KEYCLOAK_HEAP" \
      KC_BOOTSTRAP_ADMIN_USERNAME="$KEYCLOAK_ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
      setsid "$KC_HOME/bin/kc.sh" "${args[@]}"
  ) </dev/null >"$KC_LOG" 2>&1 8>&- 9>&- &
  echo $! >"$KC_PIDFILE"
  # The files in data/import are what this start imports, whether or not we wait it out.
  echo "$KC_WANTED_HASH" >"$KC_REALM_HASH"
  # Another services.sh may now take the lock, see the starting pid and wait for it too.
  if have flock; then flock -u 8 2>/dev/null || true; fi
  wait_kc_ready
  log "keycloak: ready at $KEYCLOAK_URL (issuer $(kc_issuer), $((SECONDS - t0))s, pid $(cat "$KC_PIDFILE"), RSS $(kc_rss_mb) MB)"
}

# A Keycloak this script started from realm files that have changed since.
kc_needs_reimport() {
  kc_pid_alive && [ -f "$KC_REALM_HASH" ] && [ "$(cat "$KC_REALM_HASH")" != "$(kc_realm_files_hash)" ]
}

ensure_keycloak() {
  case "$KEYCLOAK" in
    off|0|false|no) log "keycloak: skipped (KEYCLOAK=$KEYCLOAK)"; return 0 ;;
  esac
  have curl || die "curl is required"
  parse_kc_url
  kc_paths
  if kc_ready && ! kc_needs_reimport; then
    log "keycloak: reusing $KEYCLOAK_URL (issuer $(kc_issuer))"
    return 0
  fi
  kc_ready || is_local_host "$KC_HOST" || die "keycloak: $KEYCLOAK_URL does not serve realm $KEYCLOAK_REALM and is not local; start it yourself"
  mkdir -p "$KC_SERVICES_DIR"
  # One starter at a time (npm start and npm test may race); decide again once holding the lock.
  if have flock; then
    exec 8>"$KC_SERVICES_DIR/.keycloak.lock"
    flock -w "$KEYCLOAK_START_TIMEOUT" 8 || die "keycloak: timed out waiting for another services.sh"
    if kc_ready && ! kc_needs_reimport; then log "keycloak: started meanwhile by another call, reusing it"; return 0; fi
  fi
  if kc_ready; then
    log "keycloak: deploy/keycloak/*.json changed while it ran: restarting it"
    stop_keycloak
  elif kc_pid_alive; then
    log "keycloak: pid $(cat "$KC_PIDFILE") is starting, waiting for it"
    wait_kc_ready
    log "keycloak: ready at $KEYCLOAK_URL (issuer $(kc_issuer))"
    return 0
  fi
  start_keycloak
}

stop_keycloak() {
  parse_kc_url
  kc_paths
  if ! kc_pid_alive; then
    rm -f "$KC_PIDFILE"
    log "keycloak: no Keycloak started by this script is running (pidfile $KC_PIDFILE)"
    return 0
  fi
  local pid; pid="$(cat "$KC_PIDFILE")"
  log "keycloak: stopping pid $pid"
  # kc.sh passes SIGTERM on to its JVM; both are in the process group setsid gave the launch.
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 -- "-$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then warn "keycloak: pid $pid ignored SIGTERM for 60s, killing its process group"; kill -KILL -- "-$pid" 2>/dev/null || true; break; fi
    sleep 0.5
  done
  rm -f "$KC_PIDFILE"
  log "keycloak: stopped"
}

status() {
  parse_redis_url
  if redis_ping; then log "redis: $REDIS_HOST:$REDIS_PORT answers PONG"; report_redis_persistence; else log "redis: $REDIS_HOST:$REDIS_PORT does not answer"; fi
  if es_healthy; then log "elasticsearch: $ELASTICSEARCH_URL status $(es_status), version $(es_version)"
  else log "elasticsearch: $ELASTICSEARCH_URL does not answer"; fi
  parse_kc_url
  if kc_ready; then log "keycloak: $KEYCLOAK_URL serves realm $KEYCLOAK_REALM (issuer $(kc_issuer))"
  else log "keycloak: $KEYCLOAK_URL does not serve realm $KEYCLOAK_REALM"; fi
}

case "${1:-start}" in
  start|"") ensure_redis; ensure_es; ensure_keycloak ;;
  stop)
    case "${2:-all}" in
      all) stop_es; stop_keycloak ;;
      elasticsearch|es) stop_es ;;
      keycloak|kc) stop_keycloak ;;
      *) die "unknown service '$2' to stop (use es or keycloak, or nothing for both)" ;;
    esac ;;
  status) status ;;
  redis) ensure_redis ;;
  elasticsearch|es) ensure_es ;;
  keycloak|kc) ensure_keycloak ;;
  -h|--help|help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (use start, stop or status)" ;;
esac
