# Two commands set everything up on a fresh machine:
#   make train   create .venv (pinned) and run the pipeline on the embedded demo config
#   make test    create .venv (pinned) and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nanodex-installed
CORES ?= 8
# `train` runs every stage wired so far (`all`); it becomes `snakemake train` when the
# training stage lands.
TARGET ?= all

.PHONY: venv train test lint lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP)

train: venv
	PATH="$(abspath $(BIN)):$$PATH" snakemake -c$(CORES) $(TARGET)

test: venv
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	PATH="$(abspath $(BIN)):$$PATH" snakemake --lint

# Re-pin after changing dependencies in pyproject.toml.
lock: venv
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v "^pip==" | sort -f > requirements.lock.new
	{ echo "# Exact pins of every package the pipeline and tests use (CPU only; no CUDA wheels)."; \
	  echo "# Regenerate: make lock"; cat requirements.lock.new; } > requirements.lock && rm requirements.lock.new

clean:
	rm -rf data/raw data/graph data/brain logs .snakemake
