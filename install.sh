#!/usr/bin/env sh
# Installs what the dashboard needs: the Python packages (pinned) and Debian's Chromium,
# which prints the panel report to PDF and runs the browser tests.
set -eu
cd "$(dirname "$0")"
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    elif command -v sudo >/dev/null 2>&1; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "Note: install Chromium (apt-get install chromium) for PDF reports and browser tests." >&2
    fi
fi
