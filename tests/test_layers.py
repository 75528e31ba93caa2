"""The layers of the code, pinned: which package may import which (read from every module's own imports).

The flow runs one way: core (settings, calendar, the warehouse file, palette, safe cells) is under everything;
etl loads the warehouse; queries read it; app and report draw; pages are on top and imported by nobody. A module
that imports against the flow fails here, naming the file and line.
"""
import ast
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

# package -> the project packages it may import (besides itself)
MAY_IMPORT = {
    "core": set(),
    "etl": {"core"},
    "queries": {"core", "etl"},
    "forms": {"core", "etl"},
    "report": {"core", "queries"},
    "app": {"core", "etl", "queries", "forms"},   # forms: the dashboard makes a review's online-form link
    "pages": {"core", "etl", "queries", "app", "report", "forms"},
    "cli": {"core", "etl", "queries", "report", "forms"},
    "dashboard": {"core", "app"},
}
# Benchmarks may import any package but pages, and only public names.
ANYTHING_BUT_PAGES = set(MAY_IMPORT) - {"pages", "cli", "dashboard"}
PACKAGES = set(MAY_IMPORT) | {"bench", "tests"}
# `python -m etl` is the command line's old name: its __main__ only hands over to cli.main.
ENTRY_SHIMS = {"etl/__main__.py": {"cli"}}


def project_modules() -> list[Path]:
    skip = {"node_modules", ".venv", "tests", ".git"}
    return sorted(p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts))


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[int, str, list[str]]]:
    """(line, module imported, names imported) for every import in the file, relative ones resolved."""
    rel = path.relative_to(root).with_suffix("")
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(rel.parts[:-node.level])      # a package's __init__ counts as a module in it
                module = ".".join(p for p in (base, node.module) if p)
            else:
                module = node.module
            out.append((node.lineno, module, [alias.name for alias in node.names]))
    return out


def package_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def test_every_module_belongs_to_a_known_layer():
    unknown = {package_of(p) for p in project_modules()} - PACKAGES
    assert not unknown, f"new top-level packages {unknown}: add them to MAY_IMPORT with the layers they may use"


def wrong_imports(path: Path, root: Path = ROOT) -> list[str]:
    package = path.relative_to(root).parts[0].removesuffix(".py")
    allowed = ANYTHING_BUT_PAGES if package == "bench" else MAY_IMPORT[package]
    allowed = allowed | ENTRY_SHIMS.get(path.relative_to(root).as_posix(), set())
    return [f"{path.relative_to(root)}:{line} imports {module}" for line, module, _ in imports_of(path, root)
            if (top := module.split(".")[0]) in PACKAGES and top != package and top not in allowed]


@pytest.mark.parametrize("path", project_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_the_layers_below_it(path):
    wrong = wrong_imports(path)
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", [p for p in project_modules() if package_of(p) == "bench"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_benchmarks_use_only_public_names(path):
    tree = ast.parse(path.read_text())
    modules = set()          # names bound to project modules by this file's imports
    for line, module, names in imports_of(path):
        if module.split(".")[0] in PACKAGES:
            assert not [n for n in names if n.startswith("_")], f"{path.name}:{line} imports a private name of {module}"
            modules |= set(names) if names else {module.split(".")[0]}
    private = [f"{path.name}:{node.lineno} {node.value.id}.{node.attr}" for node in ast.walk(tree)
               if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
               and node.attr.startswith("_") and not node.attr.startswith("__")]
    assert not private, "private names used from outside their module:\n" + "\n".join(private)


def test_the_layer_rules_catch_an_import_against_the_flow(tmp_path):
    """The check itself: the wrong-way imports the layers once had are found, its own package's are not."""
    for name, text in {"report/xlsx.py": "from app.downloads import neutralise\nfrom . import figures\n",
                       "etl/export.py": "def f():\n    from app.downloads import neutralise\n",
                       "pages/panel_report.py": "from core import calendar\nfrom report import figures\n",
                       "queries/filters.py": "import pages.overview\n"}.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    assert wrong_imports(tmp_path / "report/xlsx.py", tmp_path) == ["report/xlsx.py:1 imports app.downloads"]
    assert wrong_imports(tmp_path / "etl/export.py", tmp_path) == ["etl/export.py:2 imports app.downloads"]
    assert wrong_imports(tmp_path / "pages/panel_report.py", tmp_path) == []
    assert wrong_imports(tmp_path / "queries/filters.py", tmp_path) == ["queries/filters.py:1 imports pages.overview"]


# A threshold that is a setting, written as fixed words (issue 17: "within 6 months", "Fewer than 5" outlived a changed
# setting). "12 months" is the rolling year, not a setting.
FIXED_THRESHOLD = re.compile(r"\b(?!12 months)\d+ (working days?|months?)\b|[Ff]ewer than \d|\d+(st|nd|rd|th) working day")
# What a page would reshape or relabel itself: the queries return long, labelled rows (queries/shapes.py spreads them).
RESHAPING = re.compile(r"\.(melt|pivot_table|stack|unstack)\(|\.str\.title\(|\.title\(\)")
# A chart that needs a grid (a heat map) spreads its long rows in app/charts.py, never in a page.
GRIDS = re.compile(r"\.pivot\(")
# Pages are handed a warehouse handle (queries/warehouse.py), never its path or a connection.
PATH_WORDS = re.compile(r"settings\.warehouse\b|\bduckdb\b|warehouse_path|warehouse_version|connect_read_only")


def _sources(*folders: str, suffixes=(".py", ".sql")) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*") if p.suffix in suffixes)


@pytest.mark.parametrize("pattern, folders", [(FIXED_THRESHOLD, ("pages", "app", "queries")),
                                              (RESHAPING, ("pages", "app")), (GRIDS, ("pages",)),
                                              (PATH_WORDS, ("pages",))],
                         ids=["thresholds in words come from core/wording.py", "pages only draw",
                              "pages leave grids to app/charts.py", "pages never see the warehouse path"])
def test_one_home_for_each_thing(pattern, folders):
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in _sources(*folders)
             for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not found, "\n".join(found)


def test_the_one_home_checks_catch_a_repeat():
    assert FIXED_THRESHOLD.search("held within 6 months of the plan") and FIXED_THRESHOLD.search("Fewer than 5 cases")
    assert not FIXED_THRESHOLD.search("each quarter beside the 12 months to it")
    assert RESHAPING.search('long = wide.melt(id_vars=["team"])') and RESHAPING.search('df["r"].str.title()')
    assert GRIDS.search('z = drawn.pivot(index="stage_label", columns="team")')
    assert PATH_WORDS.search("db = settings.warehouse") and PATH_WORDS.search("import duckdb")
