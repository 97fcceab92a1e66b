#!/usr/bin/env bash
# Makes sure the local Redis answers on 6379: the gateway keeps its sessions there (its tests too).
set -euo pipefail
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 6379; then
  echo "[xjcloud] starting Redis (redis-server --daemonize yes)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null
  for _ in $(seq 1 30); do port_open 6379 && break; sleep 1; done
  port_open 6379 || { echo "[xjcloud] Redis did not start" >&2; exit 1; }
fi
