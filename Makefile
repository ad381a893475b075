# Amtsplatz — quick start: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
export UV_LINK_MODE := copy

.PHONY: install xmlsec demo serve test fuzz lint messages browser kubectl pgclient screenshots stop clean bench wrk chaos

install: .venv/.installed node_modules/.installed xmlsec

# pysaml2 (BundID login, the demo's test IdP) signs and encrypts SAML messages with xmlsec1.
xmlsec:
	@command -v xmlsec1 >/dev/null 2>&1 || { echo "Installing xmlsec1 (SAML signatures) …"; apt-get update -qq && apt-get install -y -qq xmlsec1 >/dev/null; }

.tools/bin/uv:
	@echo "Installing uv into .tools/ …"
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

# Compiled once here: with PYTHONDONTWRITEBYTECODE set (as on our CI machines) every process would
# otherwise compile each module it imports, about 4 s of every Django start (ADR 0031).
.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	@touch $@

# Self-hosted fonts and axe-core (the accessibility gate) from the npm registry.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 18+ with npm (apt-get install -y nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Translations: compiled from locale/*/LC_MESSAGES/django.po (needs gettext's msgfmt).
messages: install
	@command -v msgfmt >/dev/null 2>&1 || { echo "Installing gettext (msgfmt) …"; apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v 0

demo: install messages
	$(PY) -m amtsplatz.infra.embedded start
	$(PY) manage.py migrate_all
	$(PY) manage.py seed_demo
	@echo "Serving the portals; stop with Ctrl-C (embedded servers stop with it)."
	trap '$(PY) -m amtsplatz.infra.embedded stop' EXIT; PATH="$(CURDIR)/.venv/bin:$$PATH" honcho -f deploy/Procfile.demo start

# Browser tests drive Debian's Chromium (no browser downloads from a vendor).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Chromium for the browser tests …"; apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# Exports and restores of municipalities run pg_dump and psql (postgresql-client).
pgclient:
	@command -v pg_dump >/dev/null 2>&1 && command -v psql >/dev/null 2>&1 || { echo "Installing postgresql-client (pg_dump, psql) …"; apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }

# Manifest tests render the Kustomize overlays with kubectl (Debian's package is kubernetes-client).
kubectl:
	@command -v kubectl >/dev/null 2>&1 || { echo "Installing kubectl (Debian's kubernetes-client) …"; apt-get update -qq && apt-get install -y -qq kubernetes-client >/dev/null; }

# The production process layout without containers: gunicorn + Celery worker + beat (deploy/Procfile)
# against DATABASE_URL, REDIS_URL and the S3 settings. SERVE_PORT (default 8000) is gunicorn's port.
SERVE_PORT ?= 8000
serve: install messages
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "make serve needs DATABASE_URL and REDIS_URL (see deploy/README.md); make demo runs without them."; exit 1; }
	$(PY) manage.py migrate_all
	@if [ "$$AMTSPLATZ_ENV" = production ]; then $(PY) manage.py collectstatic --noinput -v 0; fi
	export PROMETHEUS_MULTIPROC_DIR="$${PROMETHEUS_MULTIPROC_DIR:-$(CURDIR)/.data/prometheus}" AMTSPLATZ_METRICS_SHARED_DIR=1; \
	rm -rf "$$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$$PROMETHEUS_MULTIPROC_DIR" && \
	PATH="$(CURDIR)/.venv/bin:$$PATH" exec honcho -f deploy/Procfile -d $(CURDIR) start -p $(SERVE_PORT)

test: install messages lint browser kubectl pgclient
	$(PY) -m pytest -n 2

# Schemathesis against both APIs with many examples and the stateful phase (docs/security.md, ADR 0075); the
# short form runs in `make test`. FUZZ_EXAMPLES per operation.
FUZZ_EXAMPLES ?= 200
fuzz: install messages
	AMTSPLATZ_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) AMTSPLATZ_FUZZ_PHASES=examples,coverage,fuzzing,stateful \
		$(PY) -m pytest tests/security/test_api_fuzz.py -q

# docs/screenshots/: home and a service page of the demo municipalities, desktop and mobile.
screenshots: install messages browser
	$(PY) -m scripts.screenshots

# Every benchmark in bench/ with short defaults; rewrites docs/benchmarks.md. Never part of `make test`.
bench: install messages wrk
	$(PY) -m bench

# Faults under load (bench/chaos.py): its own PostgreSQL, Redis, gunicorn and Celery worker, killed and restarted
# while clients file and pay; prints the counts and writes them to docs/benchmarks.md. Never part of `make test`
# (tests/security/test_chaos.py runs the short form).
chaos: install messages
	$(PY) -m bench.chaos

# bench.submit loads the server with wrk (C): a Python load generator would take a tenth of two cores.
wrk:
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk for the benchmarks …"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports

stop: install
	$(PY) -m amtsplatz.infra.embedded stop

clean: stop
	rm -rf .data
