"""A plan's horizon-wide measures of one material, from its Sourcing and Production tables.

The same definitions as the model's (:mod:`models.families.measures`), computed a second way:
shares of the material's expected total supply over the horizon (purchases plus domestic
production, each weighted by its scenario's probability). ``top_country_share`` counts
foreign countries only.
"""

from __future__ import annotations

import pandas as pd

from planner.io.charts import expected_totals
from planner.schema.dataset import Dataset

#: The ratio measures, in the order the sweep and frontier workbooks show them.
RATIOS = ("top_country_share", "non_allied_share", "avg_risk", "domestic_share", "green_share")


def plan_measures(tables: dict[str, pd.DataFrame], dataset: Dataset, material: str) -> dict[str, float | None]:
    """Every ratio measure of ``material`` in the plan (None when it has no supply)."""
    src = _expected(tables["Sourcing"], dataset, material, ["supplier", "country"])
    prod = _expected(tables["Production"], dataset, material, ["facility"])
    bought, made = src["quantity"], prod["quantity"]
    supply = float(bought.sum() + made.sum())
    if supply <= 0:
        return dict.fromkeys(RATIOS)
    countries = dataset["Countries"].set_index("country")
    suppliers = dataset["Suppliers"].set_index("supplier")
    facilities = dataset["Facilities"].set_index("facility")
    home = str(dataset.settings["home_country"])
    foreign = src["country"] != home
    by_country = bought[foreign].groupby(src["country"][foreign]).sum()
    allied = src["country"].map(countries["allied"]).fillna(False).astype(bool)
    risk_o = 1.0 - (1.0 - src["country"].map(countries["risk"]).fillna(0.0)) * \
        (1.0 - src["supplier"].map(suppliers["risk"]).fillna(0.0))
    green_o = src["supplier"].map(suppliers["green_certified"]).fillna(False).astype(bool)
    risk_f = prod["facility"].map(facilities["risk"]).fillna(0.0)
    green_f = prod["facility"].map(facilities["green"]).fillna(False).astype(bool)
    return {
        "top_country_share": float(by_country.max()) / supply if len(by_country) else 0.0,
        "non_allied_share": float(bought[foreign & ~allied].sum()) / supply,
        "avg_risk": float((bought * risk_o).sum() + (made * risk_f).sum()) / supply,
        "domestic_share": float(made.sum()) / supply,
        "green_share": float(bought[green_o].sum() + made[green_f].sum()) / supply,
    }


def _expected(table: pd.DataFrame, dataset: Dataset, material: str, keys: list[str]) -> pd.DataFrame:
    """``material``'s rows of a Sourcing or Production table as expected quantities over the
    horizon per ``keys`` (planner.io.charts.expected_totals: each row weighted by its scenario's
    probability); columns ``keys`` and ``quantity``."""
    rows = table[table["material"] == material]
    if rows.empty:
        return pd.DataFrame({k: pd.Series(dtype=object) for k in keys} | {"quantity": pd.Series(dtype=float)})
    return expected_totals(rows, dataset, keys, "quantity").rename("quantity").reset_index()
