# One entry point for developers and CI. `make help` lists the targets.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup axe demo checklist fmt lint typecheck test test-sqlite coverage test-pg test-fast bench bench-cli bench-b2b bench-matching bench-suggest bench-reasons bench-builder bench-scale bench-profiles bench-exchanges bench-selection bench-load ci clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/clusterbridge: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[pdf,docx,postgres,scheduling,queue,dev]'
	@# Byte-code written once (an editable install has none, and PYTHONDONTWRITEBYTECODE may be
	@# set): every command would otherwise compile the package again (0.3 s of `partners suggest`).
	$(PY) -m compileall -q src >/dev/null
	@touch $@

setup: $(BIN)/clusterbridge  ## create .venv and install the package with its extras

axe:  ## install axe-core (the browser tests' accessibility checker) from the npm registry into .cache/axe
	npm install --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4

demo: setup  ## create the database, load real organisations (CORDIS) and serve http://127.0.0.1:8000 (another port: make demo PORT=8001)
	$(BIN)/clusterbridge demo --port $(PORT)

checklist: setup  ## check the shipped template against every call, then write its checklist for SMP-COSME-2024-CLUSTER
	$(BIN)/clusterbridge calls list
	-$(BIN)/clusterbridge check examples/consortium-template.csv --all-calls --duration-months 24 --requested-grant 2500000
	mkdir -p out
	$(BIN)/clusterbridge check examples/consortium-template.csv --call SMP-COSME-2024-CLUSTER --strand 1 \
	    --duration-months 36 --format html --output out/checklist.html
	$(BIN)/clusterbridge check examples/consortium-template.csv --call SMP-COSME-2024-CLUSTER --strand 1 \
	    --duration-months 36 --format pdf --output out/checklist.pdf
	@echo "Checklists written to out/checklist.html and out/checklist.pdf"

fmt: setup  ## format the code
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

lint: setup  ## ruff, mypy --strict and the import layers
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

typecheck: setup  ## mypy --strict on src
	$(BIN)/mypy

test: test-sqlite test-pg  ## the whole suite on SQLite (with browser and fuzz tests), then the database tests on PostgreSQL

test-sqlite: setup  ## the whole suite on SQLite, on two pytest-xdist workers
	$(BIN)/pytest -n 2

coverage: setup  ## the whole suite on SQLite with branch coverage (half as slow again as test-sqlite)
	$(BIN)/pytest -n 2 --cov --cov-report=term

test-pg: setup  ## the database tests on PostgreSQL, in a throwaway database
	$(PY) scripts/test_pg.py

test-fast: setup  ## the suite without slow tests
	$(BIN)/pytest -m "not slow"

bench: setup  ## benchmarks, printing figures and ratios against a same-run baseline
	$(PY) benchmarks/bench_eligibility.py
	$(PY) benchmarks/bench_search.py
	$(MAKE) bench-b2b
	$(MAKE) bench-matching
	$(MAKE) bench-reasons
	$(MAKE) bench-builder
	$(MAKE) bench-scale
	$(MAKE) bench-profiles
	$(MAKE) bench-cli
	$(MAKE) bench-exchanges
	$(MAKE) bench-selection

bench-load: setup  ## load mix on PostgreSQL (throwaway DB), 1 and 2 web processes: req/s, p50/p95/p99
	$(PY) benchmarks/bench_load.py

bench-cli: setup  ## start-up of `clusterbridge --help` and `calls list` (target 0.5 s) against the eager start-up
	$(PY) benchmarks/bench_cli_startup.py

bench-matching: setup  ## partner matching on the real CORDIS data (time split) against baselines; the CLI and an edit on the demo registry
	$(PY) benchmarks/bench_matching.py
	$(PY) benchmarks/bench_matching_registry.py

bench-suggest: setup  ## `partners suggest` on the demo registry (target 2 s): wall and CPU, median and p95, against `clusterbridge --help`
	$(PY) benchmarks/bench_matching_registry.py --cli-only --runs 15

bench-reasons: setup  ## what the reasons of suggestions quote on the demo registry (distinctive terms, projects named) and the furniture maker's check
	$(PY) benchmarks/bench_reasons.py

bench-profiles: setup  ## evidence-based profiles: precision and recall on the labelled sample, time for the whole registry
	$(PY) benchmarks/bench_profiles.py

bench-builder: setup  ## the consortium builder on the real CORDIS registry against a greedy baseline
	$(PY) benchmarks/bench_builder.py

bench-scale: setup  ## top-20 matching over 1,000,000 synthetic profiles: exact and FAISS (the ann extra)
	$(BIN)/pip install --quiet -e '.[ann]'
	$(PY) benchmarks/bench_matching_scale.py

bench-exchanges: setup  ## ClusterXchange assignment: 2,000 visitors x 500 hosts under 5 s, against round-based Gale-Shapley
	$(PY) benchmarks/bench_exchanges.py

bench-selection: setup  ## rank and select 5,000 proposals, assign 300 experts to them (min-cost flow vs greedy and CP-SAT), and the same through the database
	$(PY) benchmarks/bench_selection.py

bench-b2b: setup  ## B2B scheduling: the 140 published instances (d = 2; originals also d = 0, 1, 3), scale, repair
	$(PY) benchmarks/bench_b2b.py

ci: lint test  ## everything CI runs

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage out
