# 宁社通: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test lint venv test-deps db demo translations clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

venv: $(BIN)/.installed

$(BIN)/.test-installed: $(BIN)/.installed tests/requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q -r tests/requirements.txt
	touch $@

test-deps: $(BIN)/.test-installed

db: venv
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask seed-demo --if-empty

run: demo
	@echo ""
	@echo "宁社通 is serving on http://127.0.0.1:$(PORT)  (demo logins below; every password is the same)"
	@$(BIN)/flask demo-accounts
	@echo ""
	NINGSHE_ENV=development $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 2 --no-control-socket --access-logfile - 'app:create_app()'

test: test-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -c tests/pytest.ini --rootdir=. $(PYTEST_ARGS)

lint: test-deps
	$(BIN)/ruff check .

# Extract the Chinese source strings, merge them into the English catalog (created the first time),
# compile it. Translate the empty msgstr entries in messages.po, then run this again; commit .po and .mo.
I18N := core/translations
translations: venv
	@set -e; pot=$$(mktemp --suffix=.pot); trap 'rm -f "$$pot"' EXIT; \
	$(BIN)/pybabel -q extract -F $(I18N)/babel.cfg -k _l -k lazy_gettext --add-location=file --sort-by-file \
		--project=ningshe -o "$$pot" .; \
	$(BIN)/pybabel update -i "$$pot" -d $(I18N) -l en --init-missing --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d $(I18N) -l en --statistics

clean:
	rm -rf $(VENV) .pytest_cache
.PHONY: bench
bench: venv
	$(BIN)/python bench/run.py $(BENCH_ARGS)
