"""The README documents every setting and every column of the public views (so the contract cannot drift)."""
import re

import pytest

from core import warehouse_file
from etl import contract, warehouse
from core.settings import settings_fields
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text()


def _section(name):
    return README.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]


def test_every_setting_is_documented_with_its_environment_variable():
    table = _section("settings-table")
    for field in settings_fields():
        assert f"`{field.name}`" in table
        if field.metadata["env"]:
            assert f"`{field.metadata['env']}`" in table


def test_the_readme_contract_is_generated_from_the_descriptions_beside_each_view():
    assert contract.readme_section(README) == contract.markdown(warehouse.VIEWS).strip("\n"), \
        "README's contract differs from etl/sql/views/*.yml: run python -m etl contract"


def test_every_view_has_its_descriptions_beside_its_sql():
    sql = {p.stem for p in contract.VIEWS_DIR.glob("*.sql")}
    assert sql == set(warehouse.VIEWS) == {p.stem for p in contract.VIEWS_DIR.glob("*.yml")}


@pytest.mark.parametrize("view", warehouse.VIEWS)
def test_every_column_of_a_view_is_described_and_no_description_is_left_over(sample_warehouse, view):
    with warehouse_file.connect_read_only(sample_warehouse) as con:
        columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    assert list(contract.describe(view)["columns"]) == columns, f"{view}: etl/sql/views/{view}.yml and the view differ"


def test_the_descriptions_are_in_the_warehouse_for_any_client_to_read(sample_warehouse):
    with warehouse_file.connect_read_only(sample_warehouse) as con:
        comments = dict(((view, column), comment) for view, column, comment in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE list_contains(?, table_name)",
            [list(warehouse.VIEWS)]).fetchall())
        view_comments = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    for view in warehouse.VIEWS:
        doc = contract.describe(view)
        assert view_comments[view] == doc["description"]
        for column, text in doc["columns"].items():
            if (view, column) in comments:
                assert comments[view, column] == text, (view, column)


def _setup_commands() -> list[str]:
    block = README.split("## Set-up: two commands")[1].split("```sh")[1].split("```")[0]
    return [line.split("#")[0].strip() for line in block.strip().splitlines()]


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_command():
    install_and_start, run_tests = _setup_commands()
    assert install_and_start == "./install.sh && .venv/bin/streamlit run dashboard.py"
    assert run_tests == ".venv/bin/python -m pytest"
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "./install.sh" in ci_lines and run_tests in ci_lines


def test_install_never_calls_a_bare_python_or_the_system_pip():
    """A fresh Debian/Ubuntu has python3 but no python, and its system Python refuses pip ("externally managed")."""
    script = (ROOT / "install.sh").read_text()
    code = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    for line in code:
        # a command word, not an argument ("-m pip" after the venv's python is fine)
        assert not re.search(r"(^|[;&|(]|&&)\s*(python|pip|pip3)\s", line), line
        assert "python3 -m pip" not in line, line
    assert any('python3 -m venv "$venv"' in line for line in code)
