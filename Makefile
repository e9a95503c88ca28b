# Two commands do everything on a fresh machine with python3 (3.11+) and make:
#   make demo   the four founding incidents, caught by the live pipeline on bundled fixtures
#   make test   lint + the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-quick eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Same install steps as the Dockerfile: pinned runtime requirements, then the project itself.
$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/diplowatch demo
	$(BIN)/diplowatch demo --http

lint: $(STAMP)
	$(BIN)/hadolint Dockerfile

test: lint $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python benchmarks/run.py --quick

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

eval: $(STAMP)
	$(BIN)/diplowatch eval

clean:
	rm -rf $(VENV) data/*.db data/*.db-wal data/*.db-shm
