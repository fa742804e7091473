# Casebook (典型案例库). `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: demo test lint check serve serve-dev worker install migrate clean backup restore bench bench-100k guide

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Links in e-mails (BASE_URL) point at the port the demo serves on, unless BASE_URL is set.
demo: export BASE_URL ?= http://127.0.0.1:$(PORT)
demo: migrate
	$(BIN)/python manage.py load_demo_data --if-empty
	@echo ""
	@echo "典型案例库 Casebook: http://127.0.0.1:$(PORT)/  (admin: /admin/, API: /api/v1/docs)"
	@echo "Demo password for every demo account: $${DEMO_PASSWORD:-$$($(BIN)/python -c 'from cases.demo.accounts import demo_password; print(demo_password())')}"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn (config/gunicorn.conf.py) with config.settings.production, configured from the
# environment (README.md, "Serving in production"); what an operator runs behind a reverse proxy.
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py createcachetable
	@DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py migrate --check >/dev/null || { \
	  echo "Unapplied migrations: run DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py migrate"; exit 1; }
	PORT=$(PORT) DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/gunicorn -c config/gunicorn.conf.py

# A background task worker with the production settings (TASKS_BACKEND=database on every server and
# worker); under systemd: deploy/systemd/casebook-worker@.service (docs/scale-out.md).
worker: install
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/python manage.py db_worker --queue-name='*'

test: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# The user guide's pictures (docs/guide/img/): the browser walk of a whole campaign
# (tests/browser/test_campaign_walk.py) saves a screenshot of each step when GUIDE_SCREENSHOTS is set.
guide: install
	rm -f docs/guide/img/*.png
	GUIDE_SCREENSHOTS=docs/guide/img DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest tests/browser/test_campaign_walk.py -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check .

check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Backups (scripts/backup.sh): DATABASE_URL, MEDIA_ROOT and BACKUP_DIR (default ./backups) from the environment.
backup:
	scripts/backup.sh

# make restore BACKUP=backups/casebook-... RESTORE_DATABASE_URL=postgres://.../casebook_restored RESTORE_MEDIA_ROOT=/path
restore:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<backup dir> RESTORE_DATABASE_URL=<url> RESTORE_MEDIA_ROOT=<dir>"; exit 2; }
	scripts/restore.sh "$(BACKUP)"

# Benchmarks (README.md, "Benchmarks"): search relevance on the demo corpus (docs/search.md), then
# HTTP, batch and front-cache figures on BENCH_DATABASE_URL (created and filled with
# BENCH_CASES/BENCH_PUBLISHED generated cases when empty), rendered into docs/performance.md.
BENCH_CASES ?= 100000
BENCH_PUBLISHED ?= 10000
bench: migrate
	$(BIN)/python manage.py load_demo_data --if-empty
	$(BIN)/python manage.py search_eval --baseline
	$(BIN)/python manage.py search_eval --colloquial
	BENCH_CASES=$(BENCH_CASES) BENCH_PUBLISHED=$(BENCH_PUBLISHED) $(BIN)/python bench/bench_db.py
	$(BIN)/python bench/http_bench.py --label "10,000 published" $(BENCH_HTTP_ARGS)
	SEARCH_RESULTS_CACHE_SECONDS=0 $(BIN)/python bench/http_bench.py --label "10,000 published" --out bench/results/http_cold.json $(BENCH_HTTP_ARGS)
	if [ "$(BENCH_100K)" = 1 ]; then $(MAKE) bench-100k; fi
	if [ -f bench/batch.py ]; then $(BIN)/python bench/batch.py; fi
	if [ -f bench/frontcache.py ]; then $(BIN)/python bench/frontcache.py; fi
	$(BIN)/python bench/similarity.py
	$(BIN)/python bench/report.py

# Issue 18's second scale, 100,000 published cases (266,000 cases over 28 campaigns: a finished
# campaign publishes at most 45 %); opt-in (make bench BENCH_100K=1), its dataset takes about an hour.
BENCH_100K_URL ?= postgres://postgres@127.0.0.1:5432/casebook_bench100k
bench-100k: migrate
	BENCH_DATABASE_URL=$(BENCH_100K_URL) BENCH_CASES=266000 BENCH_PUBLISHED=100000 BENCH_CAMPAIGNS=28 $(BIN)/python bench/bench_db.py
	BENCH_DATABASE_URL=$(BENCH_100K_URL) $(BIN)/python bench/http_bench.py --label "100,000 published" --order 12 --out bench/results/http_100k.json $(BENCH_HTTP_ARGS)
	BENCH_DATABASE_URL=$(BENCH_100K_URL) SEARCH_RESULTS_CACHE_SECONDS=0 $(BIN)/python bench/http_bench.py --label "100,000 published" --order 12 --out bench/results/http_100k_cold.json $(BENCH_HTTP_ARGS)
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) db.sqlite3 .test-media
