# Two commands for a fresh machine:  make run  (app with demo data)  and  make test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Qt's X11 platform plugin needs these system libraries (Debian/Ubuntu names).
APT_PACKAGES := libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libegl1 libgl1 libfontconfig1 libdbus-1-3

# The tests also start a throwaway PostgreSQL cluster from the installed server binaries, and
# drive the app through the real accessibility bus (tests/a11y): Xvfb, D-Bus, at-spi2-core and
# a pyatspi client in Debian's own Python.
TEST_APT_PACKAGES := postgresql xvfb xauth xdotool dbus-x11 at-spi2-core python3-pyatspi \
	gir1.2-atspi-2.0

.PHONY: run test lint bench bundle system-deps test-deps clean

# A fresh environment whenever the dependencies change: no stale package left behind.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

test-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

run: $(STAMP) system-deps
	$(BIN)/screening-app --demo

# Each test file is named with its progress as it runs; the slowest five are listed at the end.
test: $(STAMP) system-deps test-deps
	$(BIN)/python -m pytest --durations=5

lint: $(STAMP)
	$(BIN)/ruff check screening_app tests benchmarks
	$(BIN)/ruff format --check screening_app tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m benchmarks

bundle: $(STAMP)
	packaging/build.sh

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
