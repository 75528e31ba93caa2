"""The README documents every setting and every column of the public views (so the contract cannot drift)."""
import re

import pytest

from etl import warehouse
from etl.settings import settings_fields
from conftest import ROOT

README = (ROOT / "README.md").read_text()


def _section(name):
    return README.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]


def test_every_setting_is_documented_with_its_environment_variable():
    table = _section("settings-table")
    for field in settings_fields():
        assert f"`{field.name}`" in table
        if field.metadata["env"]:
            assert f"`{field.metadata['env']}`" in table


@pytest.mark.parametrize("view", warehouse.PUBLIC_VIEWS + ("plan_quality", "load_warnings", "traffic_light_responses",
                                                           "traffic_light_comments"))
def test_every_column_of_a_public_view_is_documented(sample_warehouse, view):
    contract = _section("contract")
    documented_as = {"load_warnings": "rejected_rows"}.get(view, view)   # "the same shape"
    block = contract.split(f"**`{documented_as}`**")[1].split("\n**`")[0]
    documented = set(re.findall(r"`([a-z_0-9]+)`", block))
    with warehouse.connect_read_only(sample_warehouse) as con:
        columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    missing = [c for c in columns if c not in documented]
    assert not missing, f"{view}: undocumented columns {missing}"


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
