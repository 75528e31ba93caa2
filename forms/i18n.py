"""English and Cymraeg: the gettext catalogue in locale/, compiled with Babel when the .mo is missing or stale.

English is the source text (the msgids); locale/cy/LC_MESSAGES/messages.po holds the Welsh, for a translator
to review. A Welsh string with no official translation carries the translator comment
"needs review by a Welsh translator" (not the fuzzy flag: gettext leaves fuzzy entries out, so the page would
fall back to English).
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "cy")
NEEDS_REVIEW = "needs review by a Welsh translator"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def compile_catalogue(lang: str) -> bytes:
    """The .mo for a language, built from its .po; written beside it when the folder is writable."""
    po = po_path(lang)
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    try:
        po.with_suffix(".mo").write_bytes(data)
    except OSError:
        pass                # a read-only install still works: the catalogue is compiled in memory
    return data


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    po, mo = po_path(lang), po_path(lang).with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:
        data = compile_catalogue(lang)
    return Translations(io.BytesIO(data), domain="messages")


def pick_language(query_lang: str | None, accept_language: str | None) -> str:
    """?lang= wins (the switch on every page); else a browser asking for Welsh first; else English."""
    if query_lang in LANGUAGES:
        return query_lang
    first = (accept_language or "").split(",")[0].strip().lower()
    return "cy" if first.startswith("cy") else "en"
