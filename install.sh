#!/usr/bin/env sh
# Installs what the dashboard needs: the Python packages (pinned), Debian's Chromium, which prints the
# panel report to PDF and runs the browser tests, and axe-core (npm, pinned in package-lock.json), which
# the browser tests inject into each page to check accessibility.
set -eu
cd "$(dirname "$0")"
python -m pip install --quiet --disable-pip-version-check -r requirements.txt

apt_install() {  # apt_install PACKAGE... (as root, else with sudo, else say what to install)
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    elif command -v sudo >/dev/null 2>&1; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "Note: install $* (apt-get install $*) for PDF reports and the browser tests." >&2
        return 1
    fi
}

if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium || true
fi
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm || true
fi
if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error
fi
