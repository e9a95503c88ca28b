# Two commands do everything on a fresh machine with python3 (3.11+) and make:
#   make demo   the four founding incidents, caught by the live pipeline on bundled fixtures
#   make test   lint + the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
DEV     := $(VENV)/.dev
# -qq: errors only. A first run should read as success; warnings about the machine's own pip setup
# (an index location it cannot read, for one) are not the project's to show, and errors still stop make.
PIP     := $(BIN)/python -m pip install -qq --disable-pip-version-check

.PHONY: demo test lint bench bench-quick eval clean compiled

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The runtime, as the Dockerfile installs it: the pinned requirements, then the project itself.
$(RUNTIME): $(BIN)/python requirements.txt pyproject.toml
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $(RUNTIME)

# Tests, lint and evaluation on top of the runtime (make demo never needs them).
$(DEV): $(RUNTIME) requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $(DEV)

demo: $(RUNTIME)
	$(BIN)/diplowatch demo
	$(BIN)/diplowatch demo --http

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml

test: lint $(DEV)
	$(BIN)/python -m pytest
	$(BIN)/python benchmarks/run.py --quick

bench-quick: $(DEV)
	$(BIN)/python benchmarks/run.py --quick

# The detector compiled with mypyc into build/mypyc, about a quarter faster (bot/compiled.py); needs a C
# compiler. Every command uses it while it matches the sources; the test suite checks it finds the same.
compiled: $(DEV)
	$(BIN)/python -m bot.compiled

# Benchmarks on the compiled detector where a C compiler allows (each prints which detector it ran).
bench: $(DEV)
	-$(BIN)/python -m bot.compiled
	$(BIN)/python benchmarks/run.py

# The evaluation on the compiled detector where a C compiler allows (the whole table in minutes).
eval: $(DEV)
	-$(BIN)/python -m bot.compiled
	$(BIN)/diplowatch eval

clean:
	rm -rf $(VENV) build data/*.db data/*.db-wal data/*.db-shm
