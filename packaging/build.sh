#!/usr/bin/env bash
# Build the one-dir bundle into dist/cse-screening and smoke-test it offscreen.
# Usage: packaging/build.sh   (from a fresh clone; creates .venv via make if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
make .venv/.installed >/dev/null
.venv/bin/python -m pip install --quiet "pyinstaller>=6.5"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/cse-screening.spec
bundle=dist/cse-screening
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1))"
QT_QPA_PLATFORM=offscreen "$bundle/cse-screening" --version
# Opens the demo main window signed in, renders one referral to a temp file and quits 0.
QT_QPA_PLATFORM=offscreen SCREENING_APP_DATA_DIR="$(mktemp -d)" "$bundle/cse-screening" --demo --smoke-test
echo "smoke test passed"
