# policydiff: `make demo` and `make test` set up .venv themselves when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint types unit clean bench fuzz score thresholds

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

DEMO_STORE := $(shell mktemp -u /tmp/policydiff-demo-XXXXXX)

demo: install
	$(BIN)/policydiff diff policies/social-media/2016.docx policies/social-media/2019.docx
	@echo
	@echo "--- the same revisions kept in a store ($(DEMO_STORE)) ---"
	$(BIN)/policydiff init --store $(DEMO_STORE)
	$(BIN)/policydiff add policies/social-media/2016.docx policies/social-media/2019.docx policies/social-media/2024.docx --policy social-media --store $(DEMO_STORE)
	$(BIN)/policydiff add policies/social-media/2025-draft.docx --policy social-media -m "Annual review: AI tools, and the new staff code of conduct" --store $(DEMO_STORE)
	$(BIN)/policydiff approve social-media@2024 --by "Full Governing Body" --date 2024-03-12 --minute "FGB 24/17" --store $(DEMO_STORE)
	$(BIN)/policydiff log social-media --store $(DEMO_STORE)
	$(BIN)/policydiff diff social-media@approved social-media@latest --store $(DEMO_STORE)
	$(BIN)/policydiff check social-media@latest --store $(DEMO_STORE) || true
	@mkdir -p build
	$(BIN)/policydiff report social-media --store $(DEMO_STORE) -o build/social-media-report.html
	$(BIN)/policydiff report social-media --store $(DEMO_STORE) --format docx -o build/social-media-redline.docx
	rm -rf $(DEMO_STORE)
	@echo
	@echo "The governors' report: $(CURDIR)/build/social-media-report.html"
	@echo "The Word redline:      $(CURDIR)/build/social-media-redline.docx"

test: lint types unit

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Byte-compile first, as pip does for an installed package: with PYTHONDONTWRITEBYTECODE set
# (as on the CI machines) an editable install would otherwise compile every module every run.
bench: install
	$(BIN)/python -m compileall -q src benchmarks > /dev/null
	PYTHONPATH=. $(BIN)/python -m benchmarks.run

fuzz: install
	PYTHONPATH=. $(BIN)/python -m benchmarks.fuzz 10000
	PYTHONPATH=. $(BIN)/python -m benchmarks.fuzz_inputs 10000

# Precision and recall against the shared truth: the corpus pairs and the sample policy's history
# (each 1.00), and the real annual-review pairs of ../shared/corpus/real.
score: install
	python3 ../shared/tools/score_diff.py $(BIN)/policydiff ../shared/corpus/bartons ../shared/corpus/pairs/*/
	python3 ../shared/tools/score_diff.py $(BIN)/policydiff ../shared/corpus/real/*/

# Each tunable of the aligner moved down and up by a fifth, and the scores measured again.
thresholds: install
	PYTHONPATH=. $(BIN)/python -m benchmarks.thresholds $(SETS)
