# Kinerja — every task a developer or CI runs. The virtual environment lives in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages the tests use: LibreOffice (recalculates and converts the generated
# workbooks and documents), poppler-utils (reads generated PDFs), gettext (checks the
# translation catalogues), Chromium (browser tests through Playwright, which cannot download
# its own browser here). Installed with apt-get when missing.
DEBIAN_PACKAGES := libreoffice-calc libreoffice-writer poppler-utils fonts-liberation2 gettext chromium

# axe-core, the accessibility scan the browser tests inject into each page
# (tests/web/test_browser_axe.py), from the npm registry into a folder git ignores; installed
# once, when missing. npm comes from Debian when the machine has none.
AXE := .cache/npm/node_modules/axe-core/axe.min.js

.PHONY: demo test fmt lint typecheck bench clean debian-packages

PORT   ?= 8000

$(STAMP): pyproject.toml
	@echo "Menyiapkan lingkungan Python di $(VENV) dan memasang Kinerja (sekali saja, ±30 detik) ..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)
	@echo "Kinerja terpasang di $(VENV)."

# install, migrate the embedded SQLite database, load the seed agency, serve on :$(PORT)
# (another port: make demo PORT=8001)
demo: $(STAMP)
	$(BIN)/kinerja demo --port $(PORT)

debian-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Memasang paket Debian:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null; \
	fi

$(AXE):
	@if ! command -v npm >/dev/null; then \
	  echo "Memasang npm (paket Debian) ..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends npm >/dev/null; \
	fi
	@echo "Memasang axe-core 4 dari npm ke .cache/npm (pemeriksaan aksesibilitas) ..."
	npm install --prefix .cache/npm --no-audit --no-fund --loglevel=error axe-core@4

# the suite on TEST_WORKERS processes (pytest-xdist; each its own test database): ~6 minutes
# a pass on two cores instead of ~13; TEST_WORKERS=0 runs it in this one process
TEST_WORKERS ?= 2
test: $(STAMP) debian-packages $(AXE)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) debian-packages
	$(BIN)/python bench/bench_evaluation.py
	$(BIN)/python bench/bench_report_form.py
	$(BIN)/python bench/bench_report_laporan.py
	$(BIN)/python bench/bench_batch.py

clean:
	rm -rf $(VENV) var .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
