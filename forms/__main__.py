"""Start the form service: `.venv/bin/python -m forms --port 8502` (run from the project folder).

Listens on 127.0.0.1 by default: put it behind a TLS reverse proxy (README, "The young people's online
form"). The access log is off, because every page's address carries a link's token.
"""
from __future__ import annotations

import argparse
import sys

import uvicorn

from core.settings import SettingsError, load_settings

from . import i18n
from .app import create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forms", description="The young people's 'Rate your review' form.")
    parser.add_argument("--port", type=int, default=8502)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: behind a proxy)")
    parser.add_argument("--store", help="the form service's SQLite store (default: PWP_FORMS_STORE)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(forms_store=args.store)
    except SettingsError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    for lang in i18n.LANGUAGES[1:]:
        i18n.compile_catalogue(lang)      # the .mo is built from the reviewed .po at every start
    app = create_app(settings.forms_store)
    print(f"Rate your review: listening on http://{args.host}:{args.port} (store {settings.forms_store})", file=sys.stderr)
    # proxy_headers: the client address for the rate limit comes from X-Forwarded-For, trusted only from
    # the proxy on this machine (uvicorn's forwarded_allow_ips default, 127.0.0.1).
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, proxy_headers=True,
                server_header=False, date_header=False, log_level="warning",
                limit_concurrency=200, timeout_keep_alive=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
