# xjcloud: `make run` starts the whole platform locally; `make test` installs and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
STORE_VENV := .venv-store
TOOLS_VENV := .venv-tools
PY := $(VENV)/bin/python
PIP_QUIET := --quiet --disable-pip-version-check

PACKAGES := -e "services[nameko]" -e identity-svc -e employment-svc -e cert-svc -e filing-svc \
	-e publicity-svc -e gateway -e deploy/stubs -e deploy/devca -e deploy/backup

.PHONY: install install-system install-python install-store install-miniprogram install-tools install-portal build-portal run test test-unit test-integration test-e2e test-e2e-ahead bench clean

install: install-system install-python install-store install-miniprogram install-tools install-portal

# Debian packages the tests and the platform need (docker-compose validates the compose file)
install-system:
	@bash deploy/scripts/install-system.sh

$(VENV)/.installed: requirements-dev.txt constraints.txt $(wildcard */pyproject.toml deploy/*/pyproject.toml)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) -r requirements-dev.txt -c constraints.txt $(PACKAGES)
	@touch $@

install-python: $(VENV)/.installed

# nx-27017 needs a newer pymongo than the services may use, so it lives in its own virtualenv
$(STORE_VENV)/.installed: deploy/store-requirements.txt
	@test -x $(STORE_VENV)/bin/python || $(PYTHON) -m venv $(STORE_VENV)
	$(STORE_VENV)/bin/pip install $(PIP_QUIET) -r deploy/store-requirements.txt
	@touch $@

install-store: $(STORE_VENV)/.installed

# the mini-program's test tools (jest, miniprogram-simulate, ESLint), pinned by its package-lock.json;
# pytest runs them (tests/test_miniprogram_journey.py)
MINIPROGRAM := miniprogram
$(MINIPROGRAM)/node_modules/.installed: $(MINIPROGRAM)/package.json $(MINIPROGRAM)/package-lock.json
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || (a === 20 && b < 19)) { console.error("[xjcloud] the mini-program needs Node >= 20.19, found " + process.versions.node); process.exit(1) }'
	cd $(MINIPROGRAM) && npm ci --no-audit --no-fund
	@touch $@

install-miniprogram: $(MINIPROGRAM)/node_modules/.installed

# kubectl (kustomize), kubernetes-validate and checkov for the manifests' tests: their own virtualenv
$(TOOLS_VENV)/.installed: deploy/k8s/tools-requirements.txt
	@test -x $(TOOLS_VENV)/bin/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install $(PIP_QUIET) -r deploy/k8s/tools-requirements.txt
	@touch $@

install-tools: $(TOOLS_VENV)/.installed

# the enterprise portal (portal/): its node packages, exactly as package-lock.json pins them, and its
# build, redone when a source changed. Playwright drives Debian's Chromium: no browser download.
portal/node_modules/.installed: portal/package.json portal/package-lock.json
	cd portal && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install-portal: portal/node_modules/.installed

PORTAL_SOURCES := $(shell find portal/src portal/public -type f 2>/dev/null) portal/index.html portal/vite.config.ts \
	portal/tsconfig.app.json portal/scripts/check-browser-compat.mjs

portal/dist/index.html: portal/node_modules/.installed $(PORTAL_SOURCES)
	cd portal && npm run build --silent
	@touch $@

build-portal: portal/dist/index.html

run: install build-portal
	@bash deploy/scripts/ensure-rabbitmq.sh
	@bash deploy/scripts/ensure-redis.sh
	exec $(PY) deploy/run_platform.py

test: install build-portal
	@bash deploy/scripts/ensure-rabbitmq.sh
	@bash deploy/scripts/ensure-redis.sh
	$(PY) -m pytest

test-unit: install
	@bash deploy/scripts/ensure-redis.sh
	$(PY) -m pytest -m "not integration and not e2e"

test-integration: install
	@bash deploy/scripts/ensure-rabbitmq.sh
	$(PY) -m pytest -m integration

test-e2e: install build-portal
	@bash deploy/scripts/ensure-rabbitmq.sh
	@bash deploy/scripts/ensure-redis.sh
	$(PY) -m pytest -m e2e

# the end-to-end tests with the whole process tree's clock 400 days ahead (install first, without
# faketime: TLS checks in pip care about the date)
test-e2e-ahead: install build-portal
	@bash deploy/scripts/ensure-rabbitmq.sh
	@bash deploy/scripts/ensure-redis.sh
	faketime -m -f '+400d' $(PY) -m pytest -m e2e

bench: install
	@bash deploy/scripts/ensure-rabbitmq.sh
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) $(STORE_VENV) $(TOOLS_VENV) .pytest_cache test-artifacts $(MINIPROGRAM)/node_modules portal/node_modules portal/dist
