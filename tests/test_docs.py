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


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_command():
    assert "./install.sh && streamlit run dashboard.py" in README
    assert "python -m pytest" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./install.sh" in ci and "\npython -m pytest\n" in ci
