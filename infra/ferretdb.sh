#!/usr/bin/env bash
# Makes a MongoDB-compatible store available and prints its URL on stdout.
#  - MONGO_URL set            -> prints it, does nothing else (a real MongoDB wins).
#  - otherwise                -> builds FerretDB v1.24.2 once (cached), starts it on the local
#                                PostgreSQL on a free port (or reuses the one already running).
# Idempotent: the second call costs ~50 ms. Logs go to stderr.
set -euo pipefail

if [[ -n "${MONGO_URL:-}" ]]; then echo "$MONGO_URL"; exit 0; fi

VERSION="v1.24.2"
# ferretdb.patch fixes three things of FerretDB 1.24 on PostgreSQL that this system runs into:
#  - lost updates: it wrote an updated document back by _id without checking it was still the one it read,
#    so of two concurrent conditional updates both "succeeded" and one was silently lost. The write is now a
#    compare-and-swap and the loser gets MongoDB's WriteConflict (112), which @aftersales/messaging treats
#    as an optimistic-concurrency conflict (reload and decide again).
#  - a deadlock: an update held its query's PostgreSQL connection while taking a second one to write, so
#    enough concurrent updates (about half the pool) waited for each other forever. It now reads the matched
#    documents and releases the query first.
#  - full scans: equality on _id was pushed down as JSONB containment, which the _id index cannot serve, so
#    every lookup or update by _id read the whole table. It is now an equality the index serves.
PATCH="$(cd "$(dirname "$0")" && pwd)/ferretdb.patch"
BUILD_ID="$VERSION-aftersales2"
STATE="${AFTERSALES_STATE_DIR:-$HOME/.cache/aftersales}"
BIN="$STATE/bin/ferretdb-$BUILD_ID"
# Bounded pool: PostgreSQL allows 100 clients and is shared by everything on the machine.
PG_URL="${FERRETDB_POSTGRESQL_URL:-postgres://postgres@127.0.0.1:5432/ferretdb?pool_max_conns=50}"
RUN="$STATE/ferretdb"
mkdir -p "$STATE/bin" "$RUN"
log() { echo "[ferretdb] $*" >&2; }

build() {
  command -v go >/dev/null || { log "Go is required to build FerretDB (or set MONGO_URL)"; exit 1; }
  log "building FerretDB $VERSION (once)…"
  local dir src
  dir="$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')"
  src="$(mktemp -d)"
  cp -r "$dir/." "$src/" && chmod -R u+w "$src"
  # The module ships an empty version.txt; FerretDB panics at start-up without it.
  printf '%s' "$VERSION" > "$src/build/version/version.txt"
  (cd "$src" && git apply "$PATCH") >&2
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb) >&2
  mv "$BIN.tmp" "$BIN"; rm -rf "$src"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

[[ -x "$BIN" ]] || build

# Already running this build? Reuse it. Another build (an older one) is stopped first.
if [[ -f "$RUN/port" && -f "$RUN/pid" ]] && kill -0 "$(cat "$RUN/pid")" 2>/dev/null; then
  if [[ "$(cat "$RUN/build" 2>/dev/null)" == "$BUILD_ID" ]] && port_open "$(cat "$RUN/port")"; then
    echo "mongodb://127.0.0.1:$(cat "$RUN/port")/"; exit 0
  fi
  log "stopping FerretDB of another build"; kill "$(cat "$RUN/pid")"; sleep 1
fi

# The PostgreSQL database FerretDB stores into.
psql "postgres://postgres@127.0.0.1:5432/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='ferretdb'" 2>/dev/null | grep -q 1 \
  || psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "CREATE DATABASE ferretdb" >&2
# A local development/test store: trading the last few milliseconds of commits on a PostgreSQL crash
# for ~3x the write rate. Never set this on a production database.
psql "postgres://postgres@127.0.0.1:5432/postgres" -qc "ALTER DATABASE ferretdb SET synchronous_commit = off" >&2

PORT="${FERRETDB_PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 27017)}"
nohup "$BIN" --handler=postgresql --postgresql-url="$PG_URL" --listen-addr="127.0.0.1:$PORT" \
  --telemetry=disable --debug-addr=- --state-dir="$RUN" --log-level=warn >"$RUN/ferretdb.log" 2>&1 &
echo $! > "$RUN/pid"; echo "$PORT" > "$RUN/port"; echo "$BUILD_ID" > "$RUN/build"
for _ in $(seq 1 100); do port_open "$PORT" && { log "listening on 127.0.0.1:$PORT"; echo "mongodb://127.0.0.1:$PORT/"; exit 0; }; sleep 0.1; done
log "FerretDB did not start; see $RUN/ferretdb.log"; tail -20 "$RUN/ferretdb.log" >&2; exit 1
