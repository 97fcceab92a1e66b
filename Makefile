# xjcloud: `make run` starts the whole platform locally; `make test` installs and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
STORE_VENV := .venv-store
PY := $(VENV)/bin/python
PIP_QUIET := --quiet --disable-pip-version-check

PACKAGES := -e "services[nameko]" -e identity-svc -e employment-svc -e cert-svc -e filing-svc \
	-e publicity-svc -e gateway -e deploy/stubs -e deploy/devca

.PHONY: install install-system install-python install-store install-portal build-portal run test test-unit test-integration test-e2e bench clean

install: install-system install-python install-store install-portal

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
	exec $(PY) deploy/run_platform.py

test: install build-portal
	@bash deploy/scripts/ensure-rabbitmq.sh
	$(PY) -m pytest

test-unit: install
	$(PY) -m pytest -m "not integration and not e2e"

test-integration: install
	@bash deploy/scripts/ensure-rabbitmq.sh
	$(PY) -m pytest -m integration

test-e2e: install build-portal
	@bash deploy/scripts/ensure-rabbitmq.sh
	$(PY) -m pytest -m e2e

bench: install
	@bash deploy/scripts/ensure-rabbitmq.sh
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) $(STORE_VENV) .pytest_cache test-artifacts portal/node_modules portal/dist
