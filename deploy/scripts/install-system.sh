#!/usr/bin/env bash
# Debian packages the platform and its tests need. Idempotent: installs only what is missing.
set -euo pipefail
needed=()
command -v docker-compose >/dev/null || needed+=(docker-compose)
command -v openssl >/dev/null || needed+=(openssl)
command -v rabbitmq-server >/dev/null || needed+=(rabbitmq-server)
# the gateway keeps sessions in Redis (deploy/scripts/ensure-redis.sh starts it)
command -v redis-server >/dev/null || needed+=(redis-server)
# the booklet PDF embeds this CJK font (filing-svc, XJ_BOOKLET_FONT); its tests check the PDF with poppler's tools
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || needed+=(fonts-wqy-microhei)
command -v pdffonts >/dev/null || needed+=(poppler-utils)
# the any-date tests move the wall clock of a platform (and CI reruns the e2e tests a year ahead)
command -v faketime >/dev/null || needed+=(faketime)
# promtool checks and unit-tests the Prometheus alert rules (tests/test_monitoring.py)
command -v promtool >/dev/null || needed+=(prometheus)
# the public pages' browser test (tests/test_public_pages_browser.py) renders them in headless Chromium
{ command -v chromium >/dev/null || [ -x /usr/bin/chromium ]; } || needed+=(chromium)
# the enterprise portal is built with Node.js >= 20.19 (npm ci in portal/); Debian 12's own nodejs is 18
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "[xjcloud] the portal needs Node.js 20.19 or newer with npm (found: $(node -v 2>/dev/null || echo none)); install it, e.g. NodeSource's nodejs 20" >&2
  exit 1
fi
if ((${#needed[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "[xjcloud] please install with root rights: apt-get install ${needed[*]}" >&2
    exit 1
  fi
  echo "[xjcloud] installing Debian packages: ${needed[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi
