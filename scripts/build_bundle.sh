#!/usr/bin/env bash
# Build the PyInstaller bundle with packaging/kkr-dagsorden.spec and smoke-test it:
# --version and self-test of the bundled console launcher on the offscreen platform.
# On Linux this checks what the spec includes; the Windows build uses the same spec.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-build/bundle}"
python3 -m pip install --quiet "pyinstaller>=6.10,<7" 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages "pyinstaller>=6.10,<7"
python3 scripts/compile_translations.py >/dev/null
start=$(date +%s)
pyinstaller --noconfirm --log-level WARN --distpath "$out/dist" --workpath "$out/work" \
    packaging/kkr-dagsorden.spec
echo "bundle built in $(( $(date +%s) - start )) s, size $(du -sh "$out/dist/kkr-dagsorden" | cut -f1)"
cli="$out/dist/kkr-dagsorden/kkr-dagsorden-cli"
export QT_QPA_PLATFORM=offscreen
"$cli" --version
python3 - "$cli" <<'PY'
import subprocess, sys, time
start = time.perf_counter()
subprocess.run([sys.argv[1], "--version"], check=True, capture_output=True)
print(f"bundled --version starts and exits in {time.perf_counter() - start:.2f} s")
PY
"$cli" self-test
