# Wangge: `make demo` sets up and runs the demo town; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint assets translations messages venv browser clean-demo serve

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	$(BIN)/python scripts/copy_assets.py

translations: $(STAMP)
	$(BIN)/wangge compilemessages --ignore=.venv --ignore=node_modules >/dev/null

# Regenerate the .po catalogue after changing UI strings (then translate the new entries).
messages: $(STAMP)
	cd wangge && ../$(BIN)/wangge makemessages -l zh_Hans --no-obsolete --no-location --ignore=static_build

demo: $(STAMP) assets translations
	$(BIN)/wangge migrate --no-input
	$(BIN)/wangge demo

# Chromium for the browser tests comes from Debian, never from a browser download; so does the CJK
# TrueType font the brief PDF embeds (dashboard/briefs/pdf_writer.py).
CJK_FONT = /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
browser:
	@(command -v chromium >/dev/null && test -f $(CJK_FONT)) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-wqy-microhei >/dev/null)

test: $(STAMP) assets translations browser
	$(BIN)/wangge makemigrations --check --dry-run
	$(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
