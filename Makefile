# Everything runs from a clean clone: `make test` installs, materializes the spec, generates and tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The pinned Steady that `npm ci` installs; stripe_connect.testing finds it through this setting.
export STRIPE_CONNECT_STEADY ?= $(CURDIR)/node_modules/.bin/steady

.PHONY: all install spec generate test lint typecheck walkthrough bench naming update-spec dist clean

all: test

# The project installs editable: its .pth puts both the core and generated/ on sys.path.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

node_modules/.bin/steady: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) node_modules/.bin/steady

spec: $(STAMP)
	$(PY) -m codegen spec

generate: spec
	$(PY) -m codegen generate

test: install generate
	$(PY) -m pytest -n 2

lint: generate
	$(PY) -m ruff check stripe_connect codegen generated tests bench examples hatch_build.py
	$(PY) -m ruff format --check stripe_connect codegen tests bench examples hatch_build.py
	$(VENV)/bin/lint-imports

typecheck: generate
	$(PY) -m pyright

# The main job: a Connect walk-through against a local mock server, no Stripe key needed.
walkthrough: install generate
	$(PY) examples/connect_walkthrough.py

# Move the pin to another Stripe document, regenerate, and write the API change report into build/:
#   make update-spec SPEC=path/to/spec3.yaml [COMMIT=<its stripe/openapi commit>]   or   SPEC=<commit>
update-spec: install
	$(PY) -m codegen update-spec "$(SPEC)" $(if $(COMMIT),--commit "$(COMMIT)")

# A release: the sdist, the wheel built from it (the build hook renders generated/), both checked as PyPI does.
dist: install
	rm -rf dist
	$(PY) -m build --outdir dist
	$(PY) -m twine check --strict dist/*

naming: spec
	$(PY) -m codegen naming

# Benchmarks against stripe-python (installed into bench/.venv-stripe) and raw httpx; records bench/RESULTS.md.
bench: install generate
	$(PY) bench/run.py --write bench/RESULTS.md

clean:
	rm -rf $(VENV) node_modules build dist generated .generated.staging
