# 宁社通: `make run` serves the demo (HOST=0.0.0.0 for phones on the same network), `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# 127.0.0.1: this computer only. HOST=0.0.0.0 lets a phone on the same network in; QR codes then carry this
# computer's address on that network (BASE_URL, unless set), found from the route a UDP socket would take.
HOST ?= 127.0.0.1
LAN_ADDRESS := $(BIN)/python -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); \
	s.connect(('10.255.255.255', 1)); print(s.getsockname()[0])" 2>/dev/null || hostname -I 2>/dev/null | cut -d' ' -f1
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
	@set -e; \
	case "$(HOST)" in \
	  127.*|localhost|::1) address="$(HOST)"; base="$${BASE_URL:-}" ;; \
	  0.0.0.0|::) address=$$($(LAN_ADDRESS)); address=$${address:-127.0.0.1}; \
	    base="$${BASE_URL:-http://$$address:$(PORT)}" ;; \
	  *) address="$(HOST)"; base="$${BASE_URL:-http://$$address:$(PORT)}" ;; \
	esac; \
	case "$(HOST)" in *:*) bind="[$(HOST)]:$(PORT)" ;; *) bind="$(HOST):$(PORT)" ;; esac; \
	echo ""; \
	echo "宁社通 is serving on http://$$address:$(PORT)  (demo logins below; every password is the same)"; \
	if [ -n "$$base" ]; then echo "A phone on the same network opens $$base; QR codes and links carry that address."; \
	else echo "Only this computer can open it: make run HOST=0.0.0.0 lets a phone on the same network in."; fi; \
	$(BIN)/flask demo-accounts; \
	echo ""; \
	BASE_URL="$$base" NINGSHE_ENV=development exec $(BIN)/gunicorn --bind "$$bind" --workers 3 \
		--no-control-socket --access-logfile - 'app:create_app()'

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
