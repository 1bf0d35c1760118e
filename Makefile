# Collegium: `make demo` serves the demo site, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MUTMUT_CHILDREN ?= 2
DEV := DEBUG=$${DEBUG:-1}

.PHONY: venv openbadges-venv demo serve test lint format bench lock messages clean mutate

$(BIN)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	touch $@

venv: $(BIN)/.installed

# 1EdTech's Open Badges validator, which the certificates' tests run: a venv of its own, because
# its pins clash with ours; installed with --no-deps from a lock where every version is pinned.
OB_VENV := .venv-openbadges
$(OB_VENV)/bin/.installed: requirements-openbadges.lock
	rm -rf $(OB_VENV)
	$(PYTHON) -m venv $(OB_VENV)
	$(OB_VENV)/bin/pip install -q --no-deps -r requirements-openbadges.lock
	$(OB_VENV)/bin/python -c "import openbadges"
	touch $@

openbadges-venv: $(OB_VENV)/bin/.installed

# Commands typed by hand in a demo checkout (`.venv/bin/python manage.py …`) read this file.
.env:
	printf '# Local development settings, read by manage.py only (not by servers or tests).\nDEBUG=1\n' > $@

demo: venv .env
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: venv
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: venv openbadges-venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv
	DEBUG=1 $(BIN)/python manage.py bench $(BENCH_ARGS)

messages: venv
	$(DEV) $(BIN)/python manage.py makemessages -l ru -l kk --ignore '.venv/*' --ignore '.venv-openbadges/*' --ignore 'node_modules/*' --no-obsolete --no-wrap
	$(DEV) $(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore '.venv-openbadges/*' --ignore 'node_modules/*'

# Mutation testing of the permission and service modules (see [tool.mutmut] in pyproject.toml and
# docs/mutation.md). Slow, so not part of `make test` or CI; MUTANTS="planning.permissions.*"
# limits a run to some mutants; MUTMUT_CHILDREN=1 runs one test process at a time.
mutate: venv
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTMUT_CHILDREN) $(MUTANTS)
	$(BIN)/mutmut export-cicd-stats
	$(BIN)/mutmut results
	$(BIN)/python -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); \
	k = s["killed"] + s["timeout"]; n = k + s["survived"] + s["no_tests"]; \
	print("mutation score: %d of %d mutants killed (%.1f%%)" % (k, n, 100.0 * k / max(n, 1)))'

lock: venv
	$(BIN)/pip install -q -r requirements.in
	$(BIN)/pip freeze > requirements.lock

clean:
	rm -rf $(VENV) $(OB_VENV) db.sqlite3 staticfiles mutants
