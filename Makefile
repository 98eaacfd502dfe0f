# ragline: the verbs a newcomer types.
#
#   make run            install what is missing, start everything; Ctrl-C stops it
#   make run DETACH=1   the same in the background; returns once the API answers /readyz
#   make stop           stop a background (or crashed) stack
#   make status         one line per service
#   make test           the whole test suite (Python, then the frontend's if present)
#   make lint           ruff + mypy
#   make migration m="what changes"   write the next schema migration (see README)
#   make bench          the benchmarks (each prints one JSON line; bench-trigger, bench-latency,
#                       bench-progress, bench-ingest, bench-retrieval, bench-prefect-costs,
#                       bench-embedding, bench-load and bench-storage run one)
#
# Variables (make VAR=value, or the environment):
#   PYTHON       interpreter that creates the venv (3.11 or 3.12; default: the first found)
#   VENV         where the virtualenv lives (default .venv)
#   DETACH       1 = run in the background (make run)
#   ONLY         comma-separated services to start, e.g. ONLY=postgres,prefect,chroma
#                (handy while running the API yourself with --reload)
#   WORKERS      ingestion workers to start on this machine (RAGLINE_WORKERS, default 1)
#   PYTEST_ARGS  extra pytest arguments, e.g. PYTEST_ARGS="-m 'not e2e' -x"
#   CORPUS       documents for make bench-ingest (default bench/corpus, fetched when missing)
# Settings (ports, data directory, external services) are RAGLINE_* variables or .env:
# see .env.example.

# The first of python3, python3.12, python3.11 that runs and is 3.11 or 3.12.
PYTHON ?= $(shell for p in python3 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 13))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV ?= .venv
DETACH ?=
ONLY ?=
PYTEST_ARGS ?=
CORPUS ?= bench/corpus

PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := $(wildcard requirements.lock)
FRONTEND := $(wildcard frontend/package.json)
STACK_FLAGS := $(if $(filter 1 yes true,$(DETACH)),--detach) $(if $(ONLY),--only $(ONLY))
WORKERS ?=

.DEFAULT_GOAL := help
.PHONY: help install run stop status test lint migration bench bench-trigger bench-latency bench-progress bench-ingest bench-retrieval bench-prefect-costs bench-embedding bench-load bench-storage

help:
	@sed -n '1,12s/^# \{0,1\}//p' Makefile

# --- install: each step runs only when its inputs changed -----------------------------------

install: $(STAMP) models libmagic $(if $(FRONTEND),frontend/node_modules/.built)

$(PY):
	@[ -n "$(PYTHON)" ] && $(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 13))' || \
	  { echo "ragline needs Python 3.11 or 3.12; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV) || \
	  { echo "could not create $(VENV): on Debian/Ubuntu install python3-venv"; exit 1; }

$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install -e '.[dev]' $(if $(LOCK),-c $(LOCK))
	@touch $@

.PHONY: models libmagic
models: $(STAMP)
	@if [ -f ragline/model_files.py ]; then $(PY) -m ragline.model_files; fi

# python-magic needs the C library; Debian's minimal images lack it.
libmagic: $(STAMP)
	@$(PY) -c 'import magic' 2>/dev/null || \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y libmagic1 || { apt-get update && apt-get install -y libmagic1; }; \
	else \
	  echo "warning: libmagic is missing; install it (sudo apt-get install libmagic1)" >&2; \
	fi

ifneq ($(FRONTEND),)
FRONTEND_SRC := $(shell find frontend -name node_modules -prune -o -name dist -prune \
	-o -name test-results -prune -o -type f -print)

frontend/node_modules/.installed: frontend/package.json $(wildcard frontend/package-lock.json)
	@command -v npm >/dev/null || { echo "the web UI needs Node.js and npm (apt-get install nodejs npm)"; exit 1; }
	cd frontend && if [ -f package-lock.json ]; then npm ci; else npm install; fi
	@touch $@

frontend/node_modules/.built: frontend/node_modules/.installed $(FRONTEND_SRC)
	npm --prefix frontend run build
	@touch $@
endif

# --- the stack --------------------------------------------------------------------------------

run: install
	$(if $(WORKERS),RAGLINE_WORKERS=$(WORKERS)) $(PY) -m scripts.stack up $(STACK_FLAGS)

stop:
	@$(PY) -m scripts.stack down

status:
	@$(PY) -m scripts.stack status

# --- checks -----------------------------------------------------------------------------------

# The browser checks (frontend/e2e) run inside pytest, by tests/e2e/test_browser.py, against the
# stack it starts; that test installs Chromium when it is missing, so `make install` needs none.
test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)
ifneq ($(FRONTEND),)
	CI=true npm --prefix frontend test
endif

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --explicit-package-bases ragline api flows deployments scripts tests bench/*.py

# Needs the app database up (make run ONLY=postgres): it migrates it, then compares it with the models.
migration: install
	$(PY) -m scripts.new_migration $(m)

# Each benchmark starts its own throw-away stack on free ports and prints one JSON line last.
bench: bench-trigger bench-latency bench-progress bench-ingest bench-retrieval bench-prefect-costs bench-embedding bench-load bench-storage

bench-trigger: install
	$(PY) -m bench.trigger_latency

bench-latency: install
	$(PY) -m bench.latency

bench-progress: install
	$(PY) -m bench.progress

bench-ingest: install
	$(PY) -m bench.fetch_corpus --dest $(CORPUS)
	$(PY) -m bench.ingest $(CORPUS)

# The evaluation set (documents and questions nobody tuned on; its conversions need
# LibreOffice). The 60 questions written over $(CORPUS): python -m bench.retrieval $(CORPUS)
bench-retrieval: install
	$(PY) -m bench.fetch_eval_corpus
	$(PY) -m bench.retrieval --eval

bench-prefect-costs: install
	$(PY) -m bench.prefect_costs

bench-embedding: install
	$(PY) -m bench.fetch_corpus --dest $(CORPUS)
	$(PY) -m bench.embedding_threads $(CORPUS)

bench-load: install
	$(PY) -m bench.load

bench-storage: install
	$(PY) -m bench.storage
