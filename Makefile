# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=
WINDOWED ?=

.PHONY: run test bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[kiosk,hub,test]'
	touch $(STAMP)

install: $(STAMP)

# On the embedded default config (no sensor configured) the door counter and air sensors are emulated,
# so a fresh machine shows them live; a venue's config (ARGS="--config ...") runs its real sensors only.
run: $(STAMP)
	$(BIN)/kiosk run $(if $(WINDOWED),--windowed,) $(if $(findstring --config,$(ARGS)),,--fake-sensors) $(ARGS)

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m pytest $(ARGS)

bench: $(STAMP)
	-$(BIN)/python -m pip install --quiet -e '.[kiosk,hub,test,bench]'
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
