#!/usr/bin/env bash
# Backs up the product's Redis from the Redis host itself (docs/OPERATIONS.md "Backups and restore"),
# where `npm run cli -- backup redis` cannot run (no Node, or Redis's files are not on the CLI's disk).
#
#   scripts/redis-backup.sh rdb <folder>   BGSAVE, wait until it finished well, copy the dump as
#                                          redis-<UTC time>Z-dump.rdb with a .sha256 beside it
#   scripts/redis-backup.sh aof <folder>   copy the append-only folder (manifest, base and incremental
#                                          files) as redis-<UTC time>Z-appendonlydir with SHA256SUMS,
#                                          automatic rewrites paused meanwhile (Redis's documented way)
#
# REDIS_URL (default redis://127.0.0.1:6379) names the Redis; REDIS_CLI the client (default redis-cli).
# Exits non-zero, saying why, when Redis reports a failed save or the files are not on this machine.
set -euo pipefail

mode="${1:-}"
target="${2:-}"
[ "$mode" = rdb ] || [ "$mode" = aof ] || { echo "usage: $0 rdb|aof <folder>" >&2; exit 2; }
[ -n "$target" ] || { echo "usage: $0 $mode <folder>" >&2; exit 2; }
url="${REDIS_URL:-redis://127.0.0.1:6379}"
cli=("${REDIS_CLI:-redis-cli}" -u "$url" --no-auth-warning)
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

info() { "${cli[@]}" INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }
config_get() { "${cli[@]}" CONFIG GET "$1" | sed -n 2p; }
die() { echo "redis-backup: $*" >&2; exit 1; }

# Polls INFO persistence until the condition holds (at most 10 minutes).
wait_until() {
  local deadline=$((SECONDS + 600))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "gave up after 600 s waiting for: $*"
    sleep 0.2
  done
}

dir="$(config_get dir)"
[ -n "$dir" ] || die "CONFIG GET dir answered nothing (CONFIG renamed or disabled?)"
[ -d "$dir" ] || die "Redis keeps its files in $dir, which is not on this machine: run this on the Redis host"
mkdir -p "$target"

if [ "$mode" = rdb ]; then
  before="$(info rdb_saves)"
  # SCHEDULE: while an AOF rewrite runs a plain BGSAVE is refused; this one starts after it.
  "${cli[@]}" BGSAVE SCHEDULE >/dev/null
  saved() { [ "$(info rdb_bgsave_in_progress)" = 0 ] && [ "$(info rdb_saves)" -gt "$before" ]; }
  wait_until saved
  [ "$(info rdb_last_bgsave_status)" = ok ] || die "BGSAVE failed (rdb_last_bgsave_status: $(info rdb_last_bgsave_status)): see the Redis log"
  dbfilename="$(config_get dbfilename)"
  name="redis-${stamp}-dump.rdb"
  # Redis replaces the dump by rename, so cp reads one complete file even if another save follows.
  cp "$dir/$dbfilename" "$target/$name"
  (cd "$target" && sha256sum "$name" >"$name.sha256")
  echo "$target/$name"
else
  [ "$(info aof_enabled)" = 1 ] || die "this Redis has no append-only file (appendonly no): use rdb"
  percentage="$(config_get auto-aof-rewrite-percentage)"
  restore_rewrites() { "${cli[@]}" CONFIG SET auto-aof-rewrite-percentage "$percentage" >/dev/null; }
  trap restore_rewrites EXIT
  "${cli[@]}" CONFIG SET auto-aof-rewrite-percentage 0 >/dev/null
  idle() { [ "$(info aof_rewrite_in_progress)" = 0 ] && [ "$(info aof_rewrite_scheduled)" = 0 ]; }
  wait_until idle
  rewrites="$(info aof_rewrites)"
  name="redis-${stamp}-appendonlydir"
  cp -r "$dir/$(config_get appenddirname)" "$target/$name"
  # A manual BGREWRITEAOF during the copy would have replaced the files under it.
  [ "$(info aof_rewrites)" = "$rewrites" ] && idle || die "an AOF rewrite ran during the copy: run again"
  (cd "$target/$name" && sha256sum -- * >SHA256SUMS)
  echo "$target/$name"
fi
