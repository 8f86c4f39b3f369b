"""Terminal rendering with rich: problems, solve summaries. No decisions made here."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from models.outcome import SolveOutcome
from planner.schema.dataset import Dataset


def problems_table(problems: Iterable, title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for name in ("sheet", "cell", "column", "value found", "expected"):
        table.add_column(name, overflow="fold")
    for p in problems:  # as Text: a "[...]" in a value or an override is not rich markup
        table.add_row(*(Text(t) for t in (p.sheet or "", p.cell or "", p.column or "", _short(p.value),
                                          p.expected or "")))
    return table


def _short(value: object, width: int = 40) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def print_solve_summary(console: Console, outcome: SolveOutcome, dataset: Dataset, plan_path) -> None:
    currency = dataset.settings.get("currency") or ""
    console.print(f"[bold]status[/bold]     {outcome.status.value}")
    console.print(f"[bold]objective[/bold]  {_money(outcome.objective)} {currency}"
                  + (f"  (bound {_money(outcome.bound)}, gap {outcome.gap:.4%})"
                     if outcome.gap is not None else ""))
    costs = Table(title="Cost breakdown (expected, discounted)", title_justify="left")
    costs.add_column("component")
    costs.add_column(currency, justify="right")
    for name, value in outcome.costs.items():
        if abs(value) > 0.5:
            costs.add_row(name, _money(value))
    console.print(costs)
    console.print(material_table(outcome, dataset))
    console.print(f"Plan written to [bold]{plan_path}[/bold]")


def material_summary(outcome: SolveOutcome, dataset: Dataset) -> pd.DataFrame:
    """Per material over the horizon (probability-weighted over scenarios): top foreign
    supplier country and its share of supply, and domestic production / demand."""
    kpis = outcome.tables.get("KPIs")
    if kpis is None or kpis.empty:
        return pd.DataFrame(columns=["material", "top_country", "top_country_share", "domestic_share"])
    prob = dataset["Scenarios"].set_index("scenario")["probability"]
    sourcing = outcome.tables["Sourcing"].copy()
    sourcing["w"] = sourcing["quantity"] * sourcing["scenario"].map(prob)
    by_country = sourcing.groupby(["material", "country"])["w"].sum()
    k = kpis.assign(p=kpis["scenario"].map(prob))
    weighted = k.assign(supply=k["supply"] * k["p"], demand=k["demand"] * k["p"],
                        dom=k["domestic_production"] * k["p"]).groupby("material")[["supply", "demand", "dom"]].sum()
    rows = []
    for material, agg in weighted.iterrows():
        top_country, top_share = "", 0.0
        if material in by_country.index.get_level_values(0):
            series = by_country.loc[material]
            top_country = str(series.idxmax())
            top_share = float(series.max() / agg["supply"]) if agg["supply"] > 0 else 0.0
        rows.append({"material": material, "top_country": top_country, "top_country_share": top_share,
                     "domestic_share": float(agg["dom"] / agg["demand"]) if agg["demand"] > 0 else float("nan")})
    return pd.DataFrame(rows)


def material_table(outcome: SolveOutcome, dataset: Dataset) -> Table:
    table = Table(title="Per material, over the horizon (expected)", title_justify="left")
    for name in ("material", "top supplier country", "its share of supply", "domestic share of demand"):
        table.add_column(name, justify="right" if "share" in name else "left")
    for row in material_summary(outcome, dataset).itertuples(index=False):
        dom = "—" if pd.isna(row.domestic_share) else f"{row.domestic_share:.1%}"
        table.add_row(str(row.material), row.top_country or "—", f"{row.top_country_share:.1%}", dom)
    return table
