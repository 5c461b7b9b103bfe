# Two entry points, the README's: `make demo` (the main job on the bundled corpus) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3
PORT ?= 8501

.PHONY: setup demo test lint bench clean-db

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

demo: setup
	$(BIN)/metadossier ingest corpus/pdf --workers 2
	$(BIN)/metadossier import annotations/extra/rekenkamer_items.jsonl
	$(BIN)/metadossier themes > /dev/null
	$(BIN)/metadossier synthesize --out data/metadossier.synthese.md
	$(BIN)/metadossier info
	$(BIN)/metadossier serve --port $(PORT)

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy pipeline

bench: setup
	$(PY) bench/ingest.py
	$(PY) bench/classify.py
	$(PY) bench/assign.py
	$(PY) bench/search.py

clean-db:
	rm -f data/metadossier.sqlite data/metadossier.sqlite-wal data/metadossier.sqlite-shm data/metadossier.themes.json \
		data/metadossier.synthese.md
	rm -rf data/pdf
