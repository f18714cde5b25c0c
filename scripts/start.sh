#!/usr/bin/env bash
# `pnpm start`: runs the whole system on this machine. Installs what is missing, makes the store and broker
# available (infra/up.sh; MONGO_URL / AMQP_URL point it at real ones), builds, starts every service, waits
# until each is ready and prints where everything is. Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -d node_modules ]] || pnpm install --frozen-lockfile
eval "$(bash infra/up.sh | sed 's/^/export /')"
echo "[start] building…"
pnpm -s build

# service → HTTP port and gRPC port (0 = none). Same defaults as each service's config.ts.
declare -A HTTP=([call-intake]=3001 [dispatch]=3002 [repair-shop]=3003 [billing]=3004 [reporting]=3005 [customer-feedback]=3006)
declare -A GRPC=([call-intake]=50051 [billing]=50054 [reporting]=50055)
export AUTH_DEV_SECRET="${AUTH_DEV_SECRET:-aftersales-local-dev-secret-not-for-production}"
export BILLING_GRPC_URL="${BILLING_GRPC_URL:-127.0.0.1:${GRPC[billing]}}"
LOGS="${AFTERSALES_LOG_DIR:-.run/logs}"
mkdir -p "$LOGS"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "[start] stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  echo "[start] stopped"
}
trap stop INT TERM EXIT

services=()
for dir in services/*/; do
  name="$(basename "$dir")"
  [[ -f "$dir/dist/main.js" ]] || continue
  services+=("$name")
  PORT="${HTTP[$name]}" GRPC_PORT="${GRPC[$name]:-}" node "$dir/dist/main.js" >"$LOGS/$name.log" 2>&1 &
  pids+=("$!")
done
[[ ${#services[@]} -gt 0 ]] || { echo "[start] no service built under services/"; exit 1; }

for name in "${services[@]}"; do
  url="http://127.0.0.1:${HTTP[$name]}"
  for _ in $(seq 1 120); do
    curl -fs "$url/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$url/health/ready" >/dev/null 2>&1 || { echo "[start] $name not ready; see $LOGS/$name.log"; tail -20 "$LOGS/$name.log"; exit 1; }
done

printf '\n%-18s %-24s %-30s %s\n' service api docs grpc
for name in "${services[@]}"; do
  url="http://127.0.0.1:${HTTP[$name]}"
  printf '%-18s %-24s %-30s %s\n' "$name" "$url" "$url/docs" "${GRPC[$name]:+127.0.0.1:${GRPC[$name]}}"
done
echo
echo "metrics: <api>/metrics   health: <api>/health/ready   logs: $LOGS/<service>.log"
echo "broker:  $AMQP_URL (exchange aftersales.events)   store: $MONGO_URL"
echo "token:   pnpm token --role clerk --branch br-north"
echo "Ctrl-C stops everything."
wait
