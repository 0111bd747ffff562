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

.PHONY: demo test fmt lint typecheck bench clean debian-packages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# install, migrate the embedded SQLite database, load the seed agency, serve on :8000
demo: $(STAMP)
	$(BIN)/kinerja demo

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

test: $(STAMP) debian-packages
	$(BIN)/python -m pytest

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

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
