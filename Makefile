# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install test-install browser servers db bench lint

# requirements-convert.txt: DuckDB 2.0.1 in a folder of its own, used only to convert a database file written
# by DuckDB 2.0 (the project's DuckDB until 2026-11) once, on its first open (twomountains/file_format.py).
$(VENV)/.installed: requirements.txt requirements-convert.txt
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --upgrade --target $(VENV)/duckdb-2.0.1 -r requirements-convert.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
test-install: $(VENV)/.test-installed browser servers

# Debian's Chromium, CJK fonts and poppler-utils. The dashboard itself needs Chromium (kaleido draws the
# presentation's charts as PNG/SVG with it) and the fonts (Chinese in every exported file); the browser
# tests drive the same Chromium (playwright cannot download a browser here) and the PDF test uses pdftoppm.
browser:
	@if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk poppler-utils; \
	fi

# Debian's PostgreSQL and nginx for the lake mode's tests (tests/postgres.py starts a temporary cluster as
# the postgres user; tests/test_replicas_browser.py puts nginx in front of two dashboards). Nothing is
# started here and the package's own cluster is left alone.
servers:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -x /usr/sbin/nginx ]; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql nginx; \
	fi

# The embedded demo database, built from data/ only when it does not exist (uploads live in it). A lake
# (TWOMOUNTAINS_DB=ducklake:...) is never built here: deploy/ fills it once (`lake move-in` or build-db).
db: install
	@case "$${TWOMOUNTAINS_DB:-}" in ducklake:*) ;; *) [ -f "$${TWOMOUNTAINS_DB:-data/twomountains.duckdb}" ] || $(PY) -m twomountains build-db ;; esac

run: db browser
	$(PY) -m twomountains.serve --server.port $(PORT)

test: test-install
	$(PY) -m pytest

# Both result files: bench/RESULTS.md (the embedded file) and bench/RESULTS-lake.md (the lake at M and L, the
# ingest on the lake, forum day through nginx to two replicas).
bench: test-install
	$(PY) -m bench.run
	$(PY) -m bench.lake
