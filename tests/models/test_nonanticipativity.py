"""Settings nonanticipative: no stocking up for a ban that only one scenario knows of.

Base instance of test_column_effects (F makes 40 at 6, SB sells P at 10, SA at 12;
demand 100 in 2026 and 2027) with P's holding cost set to 0.5 and a scenario "ban"
(probability 0.5) in which country B sells nothing from 2027.

- SPEC two-stage (default): "ban" alone buys 60 extra from SB in 2026 and holds them
  (60 x 0.5 = 30): ban costs 1680 + 30, base 1680 -> expected 1695.
- nonanticipative: 2026 decisions are shared. Stocking 60 costs 30 in both scenarios
  (1710 each); not stocking costs 1680 / 1800 (expected 1740). So both stock: 1710.
"""

import copy

import pytest

from models.params.data import build_data
from models.families.nonanticipativity import reference
from models.params.scenarios import divergence_years
from models.outcome import Status
from models.solve import solve_dataset
from planner.schema.dataset import from_records
from test_column_effects import RECORDS, SETTINGS


def _dataset(**settings):
    records = copy.deepcopy(RECORDS)
    records["Materials"][0]["holding_cost"] = 0.5
    records["Scenarios"] = [{"scenario": "base", "probability": 0.5}, {"scenario": "ban", "probability": 0.5}]
    records["Disruptions"] = [{"scenario": "ban", "country": "B", "from_year": 2027, "capacity_factor": 0.0}]
    return from_records(SETTINGS | settings, records)


def test_two_stage_default_lets_the_ban_scenario_stock_up_alone():
    outcome = solve_dataset(_dataset())
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(1695.0, rel=1e-9)
    stock = outcome.tables["Stock"].set_index(["scenario", "year", "material"])["closing_stock"]
    assert stock.get(("ban", 2026, "P"), 0.0) == pytest.approx(60.0)
    assert stock.get(("base", 2026, "P"), 0.0) == pytest.approx(0.0)


def test_nonanticipative_shares_2026_decisions():
    outcome = solve_dataset(_dataset(nonanticipative=True))
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(1710.0, rel=1e-9)
    sourcing = outcome.tables["Sourcing"]
    y26 = sourcing[sourcing["year"] == 2026].pivot_table(index=["supplier", "material"], columns="scenario",
                                                          values="quantity")
    assert (y26["base"] == y26["ban"]).all()


def test_divergence_and_reference():
    dataset = _dataset()
    div = divergence_years(dataset)
    assert div["ban"] == 2027 and div["base"] == float("inf")
    assert reference(div, ["base", "ban"]) == "base"
    assert build_data(dataset).divergence == div
