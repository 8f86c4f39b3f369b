"""compare for people: the chart shows each plan's change against the first (not totals that
hide it), `--material M` shows one material's supply, builds and shares, and the comparison
workbook names what its ids stand for. Two hand plans of tests/plans/cases.py: B buys 2 t less
LI from S1 (AU) in the base scenario's 2026 and says its purchases cost 20 more."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from planner.cli import app
from planner.cli.terminal import print_material_view
from planner.plans.compare import chart_blocks, compare_plans, write_comparison
from planner.plans.material_view import UnknownMaterial, find_material, material_view
from planner.plans.saved_plan import read_plan
from tests.plans.cases import HAND_COSTS, HAND_OBJECTIVE, edit_cell, write_hand_plan


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("views")
    a = write_hand_plan(folder / "a.xlsx", charts=False)
    costs = dict(HAND_COSTS) | {"purchases_ex_works": HAND_COSTS["purchases_ex_works"] + 20.0}
    b = write_hand_plan(folder / "b.xlsx", charts=False, objective=HAND_OBJECTIVE + 20.0, costs=costs)
    edit_cell(b, "Sourcing", {"scenario": "base", "year": 2026, "material": "LI"}, "quantity", 8.0)
    return a, b


@pytest.fixture(scope="module")
def comparison(plans):
    return compare_plans([read_plan(p) for p in plans])


def test_chart_shows_changes_against_the_first_plan(comparison):
    (block,) = chart_blocks(comparison)
    data = block.data.set_index("component")
    assert list(data.columns) == ["b − a"]
    # only what changed: the objective and purchases, +20 each; unchanged components are left out
    assert data["b − a"].to_dict() == {"Objective": pytest.approx(20.0),
                                       "Purchases at ex-works prices": pytest.approx(20.0)}
    assert block.title.startswith("Change against a")


def test_material_view_supply_builds_and_shares(comparison):
    v = material_view(comparison, find_material(comparison, "lithium"))  # a name, any case
    supply = v.supply.set_index("origin")
    # expected over base and ban (0.5 each), summed over 2026-2027: AU in A 0.5 x (10 + 4) + 0.5 x (11 + 2)
    # = 13.5, in B 0.5 x (8 + 4) + 0.5 x 13 = 12.5; domestic 6 in 2027 in both scenarios
    assert supply.loc["Australia (AU)", ["a", "b", "b − a"]].tolist() == pytest.approx([13.5, 12.5, -1.0])
    assert supply.loc["India (domestic production)", ["a", "b"]].tolist() == pytest.approx([6.0, 6.0])
    assert v.totals == pytest.approx([19.5, 18.5])
    assert v.builds[["facility", "year", "a", "b"]].values.tolist() == [["R1", 2026, 1.0, 1.0]]
    shares = v.shares.set_index("figure")
    assert shares.loc["largest foreign supplier", "a"] == "Australia (AU)"
    console = Console(file=io.StringIO(), width=160)
    print_material_view(console, v)
    text = console.file.getvalue()
    assert "Lithium (LI) in each plan" in text and "13.5 t (69.2 %)" in text and "-1.0 t" in text


def test_unknown_material_names_the_closest(comparison):
    with pytest.raises(UnknownMaterial, match=r"did you mean LI \(Lithium\)"):
        find_material(comparison, "Lithum")


def test_compare_material_option_and_names_in_the_workbook(plans, tmp_path):
    a, b = plans
    result = CliRunner().invoke(app, ["compare", str(a), str(b), "-o", str(tmp_path / "c.xlsx"), "--material", "LI"])
    assert result.exit_code == 0, result.output
    assert "Supply over the horizon by origin" in result.output and "Australia (AU)" in result.output
    bad = CliRunner().invoke(app, ["compare", str(a), str(b), "-o", str(tmp_path / "d.xlsx"), "-m", "XX"])
    assert bad.exit_code == 2 and "no material 'XX'" in bad.output
    wb = load_workbook(write_comparison(compare_plans([read_plan(a), read_plan(b)]), tmp_path / "e.xlsx"),
                       read_only=True)
    header, first = list(wb["Purchases"].iter_rows(max_row=2, values_only=True))
    assert header[:4] == ("material", "material name", "country", "country name")
    assert first[:4] == ("LI", "Lithium", "AU", "Australia")
