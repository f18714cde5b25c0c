#!/usr/bin/env bash
# Makes the infrastructure available on this machine: RabbitMQ (AMQP_URL or 127.0.0.1:5672) and the
# MongoDB-compatible store (MONGO_URL, else FerretDB on the local PostgreSQL). Idempotent; prints the URLs.
set -euo pipefail
cd "$(dirname "$0")"
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

if [[ -z "${AMQP_URL:-}" ]] && ! port_open 127.0.0.1 5672; then
  if command -v rabbitmq-server >/dev/null; then
    echo "[infra] starting RabbitMQ" >&2
    rabbitmq-server -detached
    for _ in $(seq 1 60); do port_open 127.0.0.1 5672 && break; sleep 1; done
  fi
  port_open 127.0.0.1 5672 || { echo "[infra] no RabbitMQ on 127.0.0.1:5672: start one or set AMQP_URL" >&2; exit 1; }
fi
if [[ -z "${MONGO_URL:-}" ]] && ! port_open 127.0.0.1 5432; then
  if command -v pg_ctlcluster >/dev/null; then
    echo "[infra] starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  fi
fi
echo "AMQP_URL=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"
echo "MONGO_URL=$(bash ./ferretdb.sh)"
