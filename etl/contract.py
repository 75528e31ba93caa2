"""The warehouse contract's documentation: one small YAML file beside each view's SQL (etl/sql/views/<view>.yml,
as dbt keeps column docs), with the view's description and one line per column.

From that one source: the descriptions are written into the warehouse with COMMENT ON at every load (so an
analyst's tool shows them: duckdb_columns(), duckdb_views(), the data dictionary of an export), and the README's
contract section is generated (`python -m etl contract`; a test fails when the two drift).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

VIEWS_DIR = Path(__file__).parent / "sql" / "views"
README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- contract:start -->", "<!-- contract:end -->"


@lru_cache(maxsize=None)
def describe(view: str) -> dict:
    """{"description": str, "columns": {column: description}} from <view>.yml, in the view's column order.
    Read once per process (a load writes them all): treat the result as read-only."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = yaml.load((VIEWS_DIR / f"{view}.yml").read_text(encoding="utf-8"), Loader=loader)
    return {"description": " ".join(doc["description"].split()), "columns": dict(doc["columns"])}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_comments(con, views: tuple[str, ...]) -> None:
    """COMMENT ON each view and each of its columns (views are created again at every load, losing comments).
    A documented column the view does not have is left out here; the contract test names it."""
    present = {}
    for view, column in con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                                    "WHERE schema_name = 'main' AND list_contains(?, table_name)", [list(views)]).fetchall():
        present.setdefault(view, set()).add(column)
    statements = []
    for view in views:
        doc = describe(view)
        statements.append(f"COMMENT ON VIEW {view} IS {_literal(doc['description'])}")
        statements += [f"COMMENT ON COLUMN {view}.{column} IS {_literal(text)}"
                       for column, text in doc["columns"].items() if column in present.get(view, ())]
    # In one transaction of its own (so not called inside one): ~0.1 s, not ~0.5 s, for the hundred-odd comments.
    con.begin()
    try:
        con.execute(";\n".join(statements))
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(views: tuple[str, ...]) -> str:
    """The README's contract section: each view, its description, and a table of its columns."""
    parts = []
    for view in views:
        doc = describe(view)
        rows = "\n".join(f"| `{column}` | {_cell(text)} |" for column, text in doc["columns"].items())
        parts.append(f"**`{view}`** — {doc['description']}\n\n| column | meaning |\n|---|---|\n{rows}\n")
    return "\n".join(parts)


def readme_section(readme: str) -> str:
    return readme.split(START)[1].split(END)[0].strip("\n")


def write_readme(views: tuple[str, ...], readme: Path = README) -> bool:
    """Rewrite the README's contract section from the YAML files; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    before, rest = text.split(START)
    after = rest.split(END)[1]
    new = f"{before}{START}\n{markdown(views)}{END}{after}"
    if new == text:
        return False
    readme.write_text(new, encoding="utf-8")
    return True
