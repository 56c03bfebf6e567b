#!/usr/bin/env bash
# Installs everything the test suite needs and runs it: the README's test command.
# System packages (Xvfb for the real-window smoke test, desktop-file-utils, appstream, dpkg-dev)
# come from apt when run as root on Debian/Ubuntu; elsewhere install them yourself.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 desktop-file-utils appstream imagemagick binutils)
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

# PYTHON picks the interpreter, VENV the environment's folder (.ci/run runs 3.11 and 3.13 side by side)
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[test,package]'  # package: PyInstaller for tests/packaging
"$VENV/bin/python" -m ruff check .
"$VENV/bin/python" -m ruff format --check .
"$VENV/bin/lint-imports"  # the layers: [tool.importlinter] in pyproject.toml
"$VENV/bin/python" -m mypy  # the types: [tool.mypy] in pyproject.toml (strict for core/)
"$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
