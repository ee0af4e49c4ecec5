# Suara Warga — every task a developer or CI runs. `make run` and `make test` set up what they
# need themselves (a virtualenv in .venv), so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run chat test test-at lint typecheck check bench bench-small i18n db-upgrade clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)            ## the bot: every channel with credentials; the offline console when none
	$(BIN)/suara-warga run

chat: $(STAMP)           ## the offline console channel (make chat USER_NAME=budi)
	$(BIN)/suara-warga chat $(if $(USER_NAME),--user $(USER_NAME))

test: $(STAMP)           ## the whole test suite
	$(BIN)/pytest

# The suite with the wall clock pinned (libfaketime, Debian package `faketime`); it then runs
# on from there. CI runs it at night and by day. The monotonic clock is shifted too (it only
# moves on at the normal rate, which is all asyncio asks): with FAKETIME_DONT_FAKE_MONOTONIC,
# libfaketime 0.9.10 makes every time.sleep fail with EINVAL, which broke subprocess waits
# whenever a child had not exited yet (so only on a loaded machine).
AT ?= 2026-12-01 15:30:00
test-at: $(STAMP)        ## make test-at AT='2026-12-01 15:30:00' (UTC; 23:30 in Soppeng)
	faketime -f '@$(AT)' $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)          ## full benchmarks (figures quoted in the README)
	$(BIN)/python -m bench.engine_bench
	$(BIN)/python -m bench.webhook_bench
	$(BIN)/python -m bench.whatsapp_bench
	$(BIN)/python -m bench.notify_bench
	$(BIN)/python -m bench.report_bench
	$(BIN)/python -m bench.crash_bench
	$(BIN)/python -m bench.fuzz_bench
	$(BIN)/python -m bench.hostile_bench
	$(BIN)/python -m bench.understand_bench

bench-small: $(STAMP)    ## the quick run CI does
	$(BIN)/python -m bench.engine_bench --small
	$(BIN)/python -m bench.webhook_bench --small
	$(BIN)/python -m bench.whatsapp_bench --small
	$(BIN)/python -m bench.notify_bench --small
	$(BIN)/python -m bench.report_bench --small
	$(BIN)/python -m bench.crash_bench --small
	$(BIN)/python -m bench.fuzz_bench --small
	$(BIN)/python -m bench.hostile_bench --small
	$(BIN)/python -m bench.understand_bench --small

i18n: $(STAMP)           ## extract strings, update catalogs, fill Indonesian from source, compile
	$(BIN)/pybabel extract -F babel.cfg -k _ --no-location --sort-output --width=100 --project=suara-warga -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete --width=100
	$(BIN)/python scripts/i18n_source_catalog.py locales/id/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile -d locales -D messages --statistics

db-upgrade: $(STAMP)
	$(BIN)/suara-warga db upgrade

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
