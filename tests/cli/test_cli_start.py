"""`trust-planner solve --start PLAN [--stable]` through the CLI: a base plan, then a variant
solved from it (the Summary counts the start's decisions), and the options' misuse."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner import cli
from planner.io.template import write_input_workbook
from tests.models.model_builders import country, dataset, demand, material, offer, supplier


def _case(p_cost: float, m_2026: float):
    """2025-2027, no discounting. M: demand ``m_2026`` in 2026 and 10 in 2027; imports at 50,
    or refinery R (10 a module from the year after its start, capex 100 charged whole,
    unit cost 1). N: demand 10 in 2025 from P at ``p_cost`` or Q at 12, contract cost 1 each.

    Base (P at 10, M 5 in 2026): R started in 2025 serves both years, 100 + 15 = 115 (in 2026:
    100 + 10 + 5 x 50 = 360); P, 101. Variant (P at 20, M 0 in 2026): R in 2025 or 2026 costs
    110 either way (a tie); Q, 121: 231."""
    return dataset(
        {"years": 3},
        Materials=[material("M"), material("N")],
        Countries=[country("IN"), country("X")],
        Suppliers=[supplier("A", "X"), supplier("P", "X"), supplier("Q", "X")],
        Offers=[offer("A", "M", 50), offer("P", "N", p_cost, contract_cost=1), offer("Q", "N", 12, contract_cost=1)],
        Demand=[demand("M", 2026, m_2026), demand("M", 2027, 10), demand("N", 2025, 10)],
        Facilities=[{"facility": "R", "kind": "refinery", "material": "M", "module_capacity": 10, "max_modules": 2,
                     "capex_per_module": 100, "unit_cost": 1, "build_years": 1, "lifetime_years": 1}],
    )


def _solve(*args):
    result = CliRunner().invoke(cli.app, ["solve", "--quiet", *map(str, args)], env={"COLUMNS": "200"})
    return result, " ".join((result.stdout + result.stderr).split())


def _sheet(path: Path, name: str) -> list[tuple]:
    return list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))


def _summary(path: Path) -> dict:
    return {row[0]: row[1] for row in _sheet(path, "Summary")[1:]}


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("start")
    base_in = write_input_workbook(folder / "base-in.xlsx", *_tables(_case(10, 5)))
    variant_in = write_input_workbook(folder / "variant-in.xlsx", *_tables(_case(20, 0)))
    base = folder / "base.xlsx"
    result, text = _solve(base_in, "-o", base, "--mip-gap", 0)
    assert result.exit_code == 0, text
    assert _summary(base)["objective"] == pytest.approx(216)
    return folder, base, variant_in


def _tables(ds):
    return ds.tables, ds.settings


def test_solve_from_a_saved_plan_counts_its_decisions_and_stable_keeps_the_tie(plans):
    folder, base, variant_in = plans
    out = folder / "variant.xlsx"
    result, text = _solve(variant_in, "-o", out, "--mip-gap", 0, "--start", base, "--stable")
    assert result.exit_code == 0, text
    s = _summary(out)
    assert s["objective"] == pytest.approx(231) and s["status"] == "optimal"
    # the base's 6 decisions: contract P/N and P's qualification, R started in 2025, P's 10 t,
    # R's 5 t in 2026 and 10 t in 2027. All have columns here; with no demand in 2026 the LP of
    # the rest produces nothing that year (5 -> 0, repaired), the others stand as saved.
    assert (s["start.decisions"], s["start.decisions_used"], s["start.decisions_dropped"],
            s["start.decisions_repaired"]) == (6, 5, 0, 1)
    assert s["start.plan"] == "base.xlsx"
    # --stable: R stays in 2025 (the tie as the base had it); P -> Q is forced: 2 changes
    assert s["stable.changes_after"] == 2 and s["stable.fewest_changes_proven"] is True
    builds = [r for r in _sheet(out, "Builds")[1:] if r[2]]
    assert [(r[0], r[1], r[2]) for r in builds] == [("R", 2025, 1)]
    assert [r[:2] for r in _sheet(out, "Contracts")[1:]] == [("Q", "N")]
    assert "Started from base.xlsx: 5 of 6 decisions used, 0 dropped, 1 repaired" in text
    assert "--stable: 2 integer decision(s) changed against it" in text


def test_stable_needs_a_start_and_the_start_must_be_a_plan(plans, tmp_path):
    _folder, base, variant_in = plans
    out = tmp_path / "never.xlsx"
    result, text = _solve(variant_in, "-o", out, "--stable")
    assert result.exit_code == 2 and "--stable needs --start PLAN" in text
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    result, text = _solve(variant_in, "-o", out, "--start", junk)
    assert result.exit_code == 2 and "--start:" in text and "not a readable Excel workbook" in text
    result, text = _solve(variant_in, "-o", out, "--start", variant_in)  # an input, not a plan
    assert result.exit_code == 2 and "not a trust-planner plan" in text
    assert not out.exists() and "Traceback" not in text
