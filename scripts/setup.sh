#!/usr/bin/env bash
# Set up KKR Dagsorden on a Debian (or Ubuntu) machine, with or without a display:
#   - the system libraries the PySide6 (Qt) wheels load, and Xvfb;
#   - LibreOffice headless (converts Word/Excel/PowerPoint bilag to PDF), qpdf, poppler-utils;
#   - DejaVu and Liberation fonts;
#   - this project and its test tools: python3 -m pip install -e '.[test]'.
# Idempotent: what is installed already is skipped, so running it again is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "setup.sh: needs root or sudo to install system packages" >&2
    exit 1
fi

PACKAGES=(
    python3 python3-pip python3-venv
    # what the Qt wheels dlopen on a headless Debian
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
    libxcb-render-util0 libxcb-image0 xvfb
    qpdf poppler-utils fonts-dejavu-core fonts-liberation
)
OFFICE=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if command -v apt-get >/dev/null 2>&1; then
    missing=()
    for package in "${PACKAGES[@]}"; do
        installed "$package" || missing+=("$package")
    done
    command -v soffice >/dev/null 2>&1 || missing+=("${OFFICE[@]}")
    if [ "${#missing[@]}" -gt 0 ]; then
        say "apt-get update"
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
        # Ubuntu before 23.04 has no -nogui variants: take the plain ones there
        for i in "${!missing[@]}"; do
            case "${missing[$i]}" in
                libreoffice-*-nogui)
                    if ! apt-cache show "${missing[$i]}" >/dev/null 2>&1; then
                        missing[i]="${missing[$i]%-nogui}"
                    fi
                    ;;
            esac
        done
        say "apt-get install ${missing[*]}"
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        say "system packages: all present"
    fi
else
    say "no apt-get here: install Qt's libraries, LibreOffice, qpdf and poppler yourself"
fi

# Debian's own python3 is "externally managed" (PEP 668); outside a virtualenv we install
# into it anyway, as the README's one-line commands expect a plain python3.
PIP_FLAGS=()
if python3 - <<'PY'
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if os.path.exists(marker) and sys.prefix == sys.base_prefix else 1)
PY
then
    PIP_FLAGS+=(--break-system-packages)
fi

say "python3 -m pip install -e '.[test]'"
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    "${PIP_FLAGS[@]}" -e '.[test]'

say "compile the Danish translations"
python3 scripts/compile_translations.py

say "ready: python3 main.py --demo starts the app on the demo workspace"
