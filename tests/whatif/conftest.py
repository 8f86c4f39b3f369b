"""A tiny workbook whose optima are argued by hand (the column-effects base, tests/models/
test_column_effects.py), written once per session for the what-if commands.

Two years, demand 100 of P a year; domestic F makes 40 a year at 6 (5 + 1 unit of R from SA);
SB (country B, not allied, risk 0.6) sells P at 10, SA (country A, allied, risk 0.2) at 12.
The optimum buys 60 a year from SB: 2 x (240 + 600) = 1680. A Policies row for P gives
max_country_share 1 (no constraint) for the sweep to vary. mip_gap 0: every optimum is exact.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from planner.io.template import write_input_workbook
from planner.whatif.tasks import Workbook

from tests.models.test_column_effects import RECORDS, SETTINGS


def tiny_records() -> tuple[dict, dict]:
    records = copy.deepcopy(RECORDS)
    records["Policies"] = [{"material": "P", "max_country_share": 1.0}]
    return dict(SETTINGS, mip_gap=0.0, time_limit_s=30), records


@pytest.fixture(scope="session")
def tiny_path(tmp_path_factory):
    settings, records = tiny_records()
    path = tmp_path_factory.mktemp("tiny") / "tiny.xlsx"
    write_input_workbook(path, {k: pd.DataFrame(v) for k, v in records.items()}, settings)
    return path


@pytest.fixture(scope="session")
def tiny(tiny_path) -> Workbook:
    return Workbook(tiny_path.read_bytes(), tiny_path.name)
