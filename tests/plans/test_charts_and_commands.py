"""Charts inside plans, PNG export, provenance in the Summary, and the compare / check /
plots commands through the CLI runner."""

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from models.outcome import SolveOutcome, Status
from planner.io.charts import ChartsUnavailable, export_plan_pngs, export_pngs, plan_chart_blocks
from planner.cli.plans import register
from planner.io.plan import write_plan
from planner.plans.saved_plan import read_plan

from .cases import HAND_OBJECTIVE, edit_cell, rich_dataset, write_hand_plan


@pytest.fixture(scope="module")
def hand_plan(tmp_path_factory) -> Path:
    return write_hand_plan(tmp_path_factory.mktemp("charts") / "hand.xlsx")


def _blocks(ws) -> dict[str, list[tuple]]:
    """Chart data blocks on the Charts sheet: title -> [header, rows...]. A block is its title
    row, the rows the chart covers (empty), then its data up to the next empty row."""
    blocks, current, ended = {}, None, True
    for row in ws.iter_rows(values_only=True):
        values = tuple(v for v in row if v is not None)
        if not values:
            ended = ended or bool(current)
        elif ended:
            current, ended = blocks.setdefault(values[0], []), False
        else:
            current.append(values)
    return blocks


def test_plan_has_native_stacked_supply_capacity_and_cost_charts(hand_plan):
    wb = load_workbook(hand_plan, read_only=True)
    names = wb.sheetnames
    assert names.index("Shortages") < names.index("Charts") < names.index("Input.Settings")
    blocks = _blocks(wb["Charts"])
    # expected over base and ban (p = 0.5 each): 2026 AU 0.5 x 10 + 0.5 x 11; 2027 AU 0.5 x 4 + 0.5 x 2,
    # domestic 6 in both
    # materials, countries and domestic production by name; R1 has neither name nor location
    assert blocks["Supply of Lithium (LI) by country (expected)"] == [
        ("year", "Australia (AU)", "India (domestic production)"), (2026, 10.5, 0), (2027, 3, 6)]
    assert blocks["Domestic capacity for Lithium (LI)"] == [("year", "R1"), (2026, 0), (2027, 6)]
    costs = dict(blocks["Cost breakdown (expected, discounted)"][1:])
    assert costs["Qualifying suppliers (one-off)"] == 50 and costs["Contracting offers (one-off)"] == 5
    with zipfile.ZipFile(hand_plan) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    assert len(charts) == 4  # LI supply, ORE supply, LI capacity, costs
    supply = next(c for c in charts if "Supply of Lithium (LI)" in c)
    assert '<grouping val="stacked"' in supply and '<overlap val="100"' in supply
    # the AU series references its data cells: title row 1, the chart over rows 2-19, header 20
    assert "'Charts'!$B$21:$B$22" in supply
    assert '<barDir val="bar"' in next(c for c in charts if "Cost breakdown" in c)
    # printed one chart per page: a break before each block after the first, at its title row
    ws = load_workbook(hand_plan)["Charts"]
    titles = [row for row in range(1, ws.max_row + 1) if str(ws.cell(row, 1).value or "") in blocks]
    assert [b.id for b in ws.row_breaks.brk] == [row - 1 for row in titles[1:]]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_png_export_writes_a_file_per_chart(hand_plan, tmp_path):
    saved = read_plan(hand_plan)
    blocks = plan_chart_blocks(saved.tables, saved.dataset, saved.costs)
    assert [b.title for b in blocks] == ["Supply of Lithium (LI) by country (expected)",
                                         "Supply of Spodumene (ORE) by country (expected)",
                                         "Domestic capacity for Lithium (LI)", "Cost breakdown (expected, discounted)"]
    written = export_pngs(blocks[:1], tmp_path / "png", saved.name)
    assert [p.name for p in written] == ["hand-supply-of-lithium-li-by-country-expected.png"]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in written)


def test_png_export_without_matplotlib_is_a_clear_message(hand_plan, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ChartsUnavailable, match="pip install 'trust-planner\\[plots\\]'"):
        export_plan_pngs(read_plan(hand_plan), tmp_path)
    result = CliRunner().invoke(_app(), ["plots", str(hand_plan), "--plots", str(tmp_path)])
    assert result.exit_code == 2 and "matplotlib" in result.output


def test_summary_carries_pyomo_highspy_versions_options_and_timings(tmp_path):
    outcome = SolveOutcome(Status.OPTIMAL, objective=0.0, solver={"name": "highs", "version": "1.16.0",
                                                                  "options": "time_limit=60.0, rel_gap=0.001"},
                           timings={"build": 0.5, "solve": 1.25})
    path = write_plan(tmp_path / "p.xlsx", outcome, rich_dataset(), charts=False)
    rows = load_workbook(path, read_only=True)["Summary"].iter_rows(values_only=True)
    summary = {r[0]: (r + (None,))[1] for r in rows}
    assert summary["solver.pyomo_version"] == metadata.version("pyomo")
    assert summary["solver.highspy_version"] == metadata.version("highspy")
    assert summary["solver.options"] == "time_limit=60.0, rel_gap=0.001"
    assert (summary["seconds.build"], summary["seconds.solve"]) == (0.5, 1.25)
    assert summary["input_sha256"] == "a" * 64 and summary["planner_version"]


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False)

    @app.callback()
    def _root() -> None:
        pass

    register(app)
    return app


def test_check_command_exit_statuses(hand_plan, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(_app(), ["check", str(hand_plan)])
    assert ok.exit_code == 0 and "hand.xlsx is verified" in ok.output
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(hand_plan.read_bytes())
    edit_cell(bad, "Production", {"scenario": "base"}, "quantity", 7)
    result = runner.invoke(_app(), ["check", str(bad)])
    assert result.exit_code == 1
    assert "facility capacity" in result.output and "stock balance" in result.output
    assert "not verified" in result.output
    junk = tmp_path / "junk.xlsx"
    junk.write_text("junk")
    result = runner.invoke(_app(), ["check", str(junk)])
    assert result.exit_code == 2 and "not a readable Excel workbook" in result.output
    assert "Traceback" not in result.output


def test_compare_command_names_plans_by_stem_and_writes_the_default_workbook(hand_plan, tmp_path, monkeypatch):
    other = tmp_path / "alternative.xlsx"
    other.write_bytes(hand_plan.read_bytes())
    edit_cell(other, "Summary", {"metric": "objective"}, "value", 1600.0)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(_app(), ["compare", str(hand_plan), str(other)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "hand" in result.output and "alternative" in result.output
    assert "delta (alternative − hand)" in result.output
    # hand: objective = bound = H; alternative: objective 1600, bound still H (only the
    # objective cell was edited), so the optima differ by [H - H, 1600 - H]: contains 0
    hand = HAND_OBJECTIVE
    assert f"+{1600 - hand:,.0f}" in result.output and f"[0, +{1600 - hand:,.0f}]" in result.output
    assert "within solver tolerance" in result.output
    assert "[objective low, high]" in result.output  # the legend's brackets are text, not rich markup
    assert (tmp_path / "outputs" / "comparison.xlsx").exists()
    one = CliRunner().invoke(_app(), ["compare", str(hand_plan)])
    assert one.exit_code == 2


def test_compare_three_plans_shows_each_delta_with_its_interval_in_the_terminal(tmp_path):
    # a: 1000 (bound 990), b: 1050 (bound 1040), c: 1005 (bound 980): b - a in
    # [1040 - 1000, 1050 - 990] = [40, 60]; c - a in [980 - 1000, 1005 - 990] = [-20, 15]
    paths = [write_hand_plan(tmp_path / "a.xlsx", objective=1000.0, bound=990.0, charts=False),
             write_hand_plan(tmp_path / "b.xlsx", objective=1050.0, bound=1040.0, charts=False),
             write_hand_plan(tmp_path / "c.xlsx", objective=1005.0, bound=980.0, charts=False)]
    result = CliRunner().invoke(_app(), ["compare", *map(str, paths), "-o", str(tmp_path / "cmp.xlsx")],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "delta (b − a)" in result.output and "delta (c − a)" in result.output
    objective = [line for line in result.output.splitlines() if "objective" in line][0]
    assert "+50" in objective and "+5" in objective
    assert "[+40, +60]" in result.output and "[-20, +15]" in result.output
    assert result.output.count("within solver tolerance") == 1 + 1  # the c - a objective, and the legend
