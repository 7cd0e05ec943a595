# The project's interface: `make help` lists every target. CI runs the same targets as the README.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REPORTS ?= data/reports
WAREHOUSE ?= warehouse/budget.duckdb
FULL ?=
SIZES ?= 1000 10000 100000
FORMAT ?= parquet
PORT ?= 8501
SECONDS ?= 600
ROUNDS ?= 100

.DEFAULT_GOAL := help
.PHONY: help venv build test test-fast lint format corpus bench clean system-deps dashboard browser variants fuzz soak

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'
	@echo "  variables: REPORTS=$(REPORTS) WAREHOUSE=$(WAREHOUSE) FULL=1 (re-parse every file) CHECKSUM=1 (hash every file)"
	@echo "             EXPORT=dir (make build: export after publishing) OUT=dir FORMAT=$(FORMAT) (make export)"

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

venv: $(VENV)/.installed ## create .venv with the pinned dependencies

build: venv ## build WAREHOUSE from the reports in REPORTS (only new and changed files are parsed; EXPORT=dir exports it)
	$(PY) -m pipeline build --reports "$(REPORTS)" --warehouse "$(WAREHOUSE)" $(if $(FULL),--full) $(if $(CHECKSUM),--checksum) \
		$(if $(EXPORT),--export "$(EXPORT)" --export-format $(FORMAT))

DEBIAN_PACKAGES := poppler-utils poppler-data chromium fonts-noto-cjk

system-deps: ## install the Debian packages the tests use (pdftotext and the CJK data it reads the rendered PDFs with; Chromium and CJK fonts for the dashboard test)
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES); }

test: venv system-deps ## run every test: parsers against the gold files, rules, builds end to end, dbt unit tests
	$(PY) -m pytest

test-fast: venv system-deps ## run the tests that need no build (parsers, numbers, decoding)
	$(PY) -m pytest -m "not build"

lint: venv ## check Python (ruff) and SQL (sqlfluff, dbt templater: compiles against seeds of the sample corpus)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pipeline seeds target/lint/seeds --reports data/reports
	BUDGET_PARSED_SEEDS=$(CURDIR)/target/lint/seeds WAREHOUSE_PATH=$(CURDIR)/target/lint/lint.duckdb \
		DBT_SEND_ANONYMOUS_USAGE_STATS=false $(VENV)/bin/sqlfluff lint models tests/dbt

format: venv ## format Python with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

corpus: venv ## write a generated corpus of N reports with truth files into OUT (deterministic; SEED optional)
	@test -n "$(N)" -a -n "$(OUT)" || { echo "usage: make corpus N=10000 OUT=/tmp/corpus [SEED=1]"; exit 2; }
	$(PY) -m bench corpus --reports $(N) --out "$(OUT)" $(if $(SEED),--seed $(SEED))

bench: venv ## benchmark builds of generated corpora (SIZES="1000 10000 100000"); writes target/bench/results.md
	$(PY) -m bench run --sizes $(SIZES)

dashboard: venv ## serve the dashboard of WAREHOUSE on PORT (read-only; ADDRESS= to pick the interface)
	@$(PY) -m dashboard --warehouse "$(WAREHOUSE)" --port "$(PORT)" $(if $(ADDRESS),--address "$(ADDRESS)")

browser: system-deps ## install Chromium and CJK fonts (Debian) for the dashboard's browser test

clean: ## remove the warehouse, build files and caches (not .venv)
	rm -rf warehouse target logs .pytest_cache .ruff_cache

.PHONY: export
export: venv ## write every mart and ops table of WAREHOUSE into OUT as FORMAT=parquet (default) or csv, with a manifest
	@test -n "$(OUT)" || { echo "usage: make export OUT=dir [FORMAT=parquet|csv] [WAREHOUSE=file]"; exit 2; }
	$(PY) -m pipeline export --warehouse "$(WAREHOUSE)" --out "$(OUT)" --format $(FORMAT)

.PHONY: docs
docs: venv ## generate the dbt docs site of WAREHOUSE into target/docs (static_index.html opens as a file)
	$(PY) -m pipeline docs --warehouse "$(WAREHOUSE)" --out target/docs

variants: venv ## parse the samples as other extractors print them (pipes, aligned, full-width …); print the share of the gold kept
	$(PY) -m bench.variants

fuzz: venv ## fuzz the parsers with mutated sample reports for SECONDS (default 600); failures saved in tests/fixtures/fuzz/
	$(PY) -m tests.ingest.fuzz --seconds $(SECONDS)

soak: venv ## ROUNDS builds of a changing corpus killed at random moments while readers query (default 100)
	$(PY) -m bench.soak --rounds $(ROUNDS)

.PHONY: profile
profile: venv ## profile parsing in one process: CPU ms per file and the top functions (REPORTS=dir [FILES=2000])
	@test -n "$(REPORTS)" || { echo "usage: make profile REPORTS=/tmp/corpus/reports [FILES=2000]"; exit 2; }
	$(PY) -m bench.profile "$(REPORTS)" $(if $(FILES),--files $(FILES))
