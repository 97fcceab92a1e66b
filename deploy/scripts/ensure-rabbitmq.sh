#!/usr/bin/env bash
# Makes sure the local RabbitMQ answers on 5672 and its management API (used by nameko's test
# fixtures to create a throwaway vhost per test) on 15672.
set -euo pipefail
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5672; then
  echo "[xjcloud] starting RabbitMQ (rabbitmq-server -detached)"
  rabbitmq-server -detached
  for _ in $(seq 1 90); do port_open 5672 && break; sleep 1; done
  port_open 5672 || { echo "[xjcloud] RabbitMQ did not start" >&2; exit 1; }
fi
if ! port_open 15672; then
  rabbitmq-plugins enable rabbitmq_management >/dev/null
  for _ in $(seq 1 60); do port_open 15672 && break; sleep 1; done
  port_open 15672 || { echo "[xjcloud] RabbitMQ management API did not start" >&2; exit 1; }
fi
