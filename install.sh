#!/usr/bin/env sh
# Installs what the dashboard needs into its own virtual environment (.venv beside this file, so a system
# Python that is "externally managed" is never touched): the Python packages (pinned), Debian's Chromium,
# which prints the panel report to PDF and runs the browser tests, and axe-core (npm, pinned in
# package-lock.json), which the browser tests inject into each page to check accessibility.
# Run the dashboard afterwards with .venv/bin/streamlit run dashboard.py (no activation needed).
set -eu
cd "$(dirname "$0")"

apt_install() {  # apt_install PACKAGE... (as root, else with sudo, else say what to install)
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    elif command -v sudo >/dev/null 2>&1; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "Note: install $* (apt-get install $*) and run ./install.sh again." >&2
        return 1
    fi
}

venv=.venv
if [ ! -x "$venv/bin/python" ]; then
    # Debian and Ubuntu ship venv (ensurepip) as a separate package.
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        apt_install python3-venv
        python3 -m venv "$venv"
    fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
# The project's own packages (etl, queries, app, report …), editable: importable from anywhere, no copy to keep in step.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e . --no-deps

if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium || true
fi
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm || true
fi
if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error
fi
echo "Installed. Start the dashboard with: .venv/bin/streamlit run dashboard.py"
