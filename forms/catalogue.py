"""The message catalogue's list of English strings, and updating the Welsh .po from it.

`python -m forms.catalogue` adds any new English string to locale/cy/LC_MESSAGES/messages.po (Welsh left
empty, marked for a translator) and keeps every Welsh string already there. The strings are those of the
templates (`_("…")`), of app.py (`N_("…")`) and the form's own wording (content.py: the guide's ten stages,
thirty statements and three rating words).
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from . import content, i18n

HERE = Path(__file__).parent


def english_strings() -> list[str]:
    found: list[str] = []
    for template in sorted((HERE / "templates").glob("*.html")):
        for _lineno, message, _comments, _context in extract_from_file(
                "jinja2", template, keywords={"_": None}, options={"trim_blocks": "true", "lstrip_blocks": "true"}):
            found.append(message)
    for _lineno, message, _comments, _context in extract_from_file("python", HERE / "app.py", keywords={"N_": None}):
        found.append(message)
    found += list(content.STAGES) + [s for boxes in content.STATEMENTS for s in boxes]
    found += list(content.RATING_WORD.values())
    return list(dict.fromkeys(m for m in found if isinstance(m, str) and m))


def update(lang: str = "cy") -> tuple[int, int]:
    """Add new strings to the .po; returns (strings, of which untranslated)."""
    path = i18n.po_path(lang)
    old = read_po(path.open("rb"), locale=lang) if path.exists() else Catalog(locale=lang)
    catalog = Catalog(locale=lang, project="Rate your review", header_comment=old.header_comment, fuzzy=False)
    for message in english_strings():
        before = old.get(message)
        if before is not None and before.string:
            catalog.add(message, before.string, user_comments=before.user_comments)
        else:
            catalog.add(message, "", user_comments=[i18n.NEEDS_REVIEW])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=False)
    untranslated = sum(1 for m in catalog if m.id and not m.string)
    return len([m for m in catalog if m.id]), untranslated


if __name__ == "__main__":
    total, untranslated = update(sys.argv[1] if len(sys.argv) > 1 else "cy")
    print(f"{total} strings; {untranslated} without a translation")
