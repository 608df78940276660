# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=
WINDOWED ?=

.PHONY: run test test-postgres postgres-test-db browser-deps bench install clean system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[kiosk,hub,test]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages, each installed when missing if we may (root); otherwise one line says what to install and
# what goes without it. espeak-ng speaks the « Écouter » descriptions (the kiosk is silent without it; tests
# render with it); xinit is what the systemd unit starts (its systemd-analyze check is skipped without it).
# `make run` wants the first, `make test` both.
RUN_PACKAGES := espeak-ng
TEST_PACKAGES := $(RUN_PACKAGES) xinit
DEBIAN_PACKAGES ?= $(TEST_PACKAGES)
run: DEBIAN_PACKAGES = $(RUN_PACKAGES)
test: DEBIAN_PACKAGES = $(TEST_PACKAGES)
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q ' installed' \
		|| printf ' %s' $$p; done); \
	test -z "$$missing" || { test "$$(id -u)" = 0 && apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; } \
		|| echo "note: 'apt-get install$$missing': without it no spoken descriptions (espeak-ng), no unit file check (xinit)"

# On the embedded default config (no sensor configured) the door counter and air sensors are emulated,
# so a fresh machine shows them live; a venue's config (ARGS="--config ...") runs its real sensors only.
run: $(STAMP) system-deps
	$(BIN)/kiosk run $(if $(WINDOWED),--windowed,) $(if $(findstring --config,$(ARGS)),,--fake-sensors) $(ARGS)

test: $(STAMP) browser-deps system-deps
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest $(ARGS)

# The website's browser tests drive Debian's Chromium (Playwright downloads no browser here) and inject
# axe-core from npm. Without root, chromium is left to the developer and those tests are skipped.
AXE := tests/site/browser/node_modules/axe-core/axe.min.js
browser-deps: $(AXE)
	@test -x /usr/bin/chromium || { test "$$(id -u)" = 0 && apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium is not installed: the website's browser tests will be skipped (apt-get install chromium)"

$(AXE): tests/site/browser/package.json tests/site/browser/package-lock.json
	cd tests/site/browser && npm ci --no-audit --no-fund --silent

# The hub's tests again on PostgreSQL (several workers behind a proxy use it): .ci/run starts the
# server and makes the role with `make postgres-test-db`; a developer does the same once.
POSTGRES_TEST_URL ?= postgresql://qsec_hub_test:qsec_hub_test@127.0.0.1:5432/qsec_hub_test
postgres-test-db:
	su postgres -c "psql --quiet -v ON_ERROR_STOP=1" < hub/deploy/postgres-test.sql

test-postgres: $(STAMP)
	QSEC_HUB_DATABASE=$(POSTGRES_TEST_URL) SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest \
		tests/hub tests/site tests/sync/test_bundle.py tests/sync/test_faults.py --ignore=tests/site/test_browser.py $(ARGS)

bench: $(STAMP)
	-$(BIN)/python -m pip install --quiet -e '.[kiosk,hub,test,bench]'
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
