"""Compare any number of saved plans, side by side.

Each plan is named by its file stem (made unique with its folder if two stems are equal).
The comparison holds:

- Summary: one row per metric (status, objective, gap, each cost component, expected
  cost and CVaR, expected shortage, average risk, top-country, green and domestic shares,
  counts of decisions, then the same per material, then provenance), one column per plan,
  then for every plan after the first its delta against the first (``delta (B − A)``) and,
  for the objective and the cost components, the interval and tolerance flag of
  :mod:`planner.plans.intervals` (columns ``… low``, ``… high``, ``… note``)
- Purchases (by material and country over the horizon) and Purchases by year, expected over
  scenarios; Contracts; Builds; Financing (expected over scenarios where a plan solved with
  Settings recourse_builds decides them by scenario): side by side, each plan after the first
  with its delta against the first
- Input differences: every input cell that differs between the plans' Input copies, by
  sheet and key (the manifest key; the row position for sheets without one)
- Plans: where each plan came from; warnings when plans come from different planner
  versions or different inputs

Figures are recomputed from each plan's decisions and inputs (planner.plans.audit), so plans
written by any planner version compare on the same definitions.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.schema import manifest
from planner.schema.dataset import blank
from planner.plans.audit import balance
from planner.plans.audit.costs import ORDER, recompute
from planner.plans.audit.data import load
from planner.io.charts import expected_totals
from planner.plans.audit.policies import supply_terms
from planner.plans.intervals import (component_interval, delta_label, expected_cost_interval, high_label,
                                     is_component, low_label, note_label, objective_interval)
from planner.plans.saved_plan import SavedPlan
from planner.schema.numbers import number_or_none

#: Metrics shown as shares (0..1) and money, for display.
SHARE_METRICS = ("gap", "avg_risk", "top_country_share_max", "green_share", "domestic_share")
NO_ROW = "(no row)"
NO_SHEET = "(no sheet)"
NO_COLUMN = "(no column)"
#: Metric holding the reason a plan's figures could not be recomputed (invalid inputs).
RECOMPUTE_ERROR = "not_recomputed"


@dataclass
class Comparison:
    names: list[str]
    plans: list[SavedPlan]
    summary: pd.DataFrame
    purchases: pd.DataFrame
    purchases_by_year: pd.DataFrame
    contracts: pd.DataFrame
    builds: pd.DataFrame
    financing: pd.DataFrame
    inputs: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def deltas(self) -> list[str]:
        """The delta columns, one per plan after the first (against the first), in plan order."""
        return delta_labels(self.names)


def delta_labels(names: Sequence[str]) -> list[str]:
    return [delta_label(n, names[0]) for n in names[1:]]


def plan_names(plans: Sequence[SavedPlan]) -> list[str]:
    """File stems; where stems clash, the shortest end of their paths that tells them apart
    (``a/run/plan`` and ``b/run/plan``); the same file given twice is numbered."""
    paths = [Path(os.path.abspath(p.path)).with_suffix("").parts for p in plans]
    names = []
    for mine in paths:
        others = [other for other in paths if other != mine]
        depth = 1
        while depth < len(mine) and any(other[-depth:] == mine[-depth:] for other in others):
            depth += 1
        names.append("/".join(mine[-depth:]))
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if names.count(name) == 1 else f"{name} #{seen[name]}")
    return out


def compare_plans(plans: Sequence[SavedPlan]) -> Comparison:
    if len(plans) < 2:
        raise ValueError("compare needs at least two plans")
    plans = list(plans)
    names = plan_names(plans)
    metrics = [plan_metrics(p) for p in plans]
    weights = [float(p.dataset.settings.get("cvar_weight") or 0.0) for p in plans]
    summary = _side_by_side_metrics(metrics, names, weights)
    return Comparison(
        names=names, plans=plans, summary=summary,
        purchases=_side_by_side(plans, names, _purchases, ["material", "country"]),
        purchases_by_year=_side_by_side(plans, names, _purchases_by_year, ["material", "country", "year"]),
        contracts=_contracts(plans, names),
        builds=_side_by_side(plans, names, _builds, ["facility", "year"]),
        financing=_side_by_side(plans, names, _draws, ["source", "facility", "year"]),
        inputs=input_differences(plans, names),
        warnings=_warnings(plans, names, metrics),
    )


# ------------------------------------------------------------------ metrics


def plan_metrics(plan: SavedPlan) -> dict[str, Any]:
    """The Summary metrics of one plan, recomputed from its decisions and inputs."""
    s = plan.summary
    out: dict[str, Any] = {
        "status": s.get("status"),
        "objective": plan.objective,
        "best_bound": number_or_none(s.get("best_bound")),
        "gap": number_or_none(s.get("gap")),
        "solve_seconds": number_or_none(s.get("solve_seconds")),
    }
    costs = plan.costs
    for name in list(ORDER) + [k for k in costs if k not in ORDER]:
        if name in costs:
            out[f"cost.{name}"] = costs[name]
    try:
        out.update(_derived_metrics(plan))
    except Exception as exc:  # noqa: BLE001 - a plan with invalid inputs still compares on its Summary
        out[RECOMPUTE_ERROR] = f"{type(exc).__name__}: {exc}"
    for key in ("input_file", "input_sha256", "planner_version", "solver.name", "solver.version",
                "solver.pyomo_version", "solver.options", "created_at"):
        if key in s:
            out[key] = s[key]
    return out


def _derived_metrics(plan: SavedPlan) -> dict[str, Any]:
    """Metrics recomputed from the plan's decisions and inputs (planner.plans.audit)."""
    out: dict[str, Any] = {}
    d = load(plan)
    flows = balance.flows(d)
    r = recompute(d, flows)
    out["expected_cost"] = r.expected_cost
    out["cvar_alpha"] = r.alpha
    out["cvar"] = r.cvar
    prob = d.probs.reindex(flows.index.get_level_values("scenario")).fillna(0.0).to_numpy(float)
    terms = supply_terms(d, flows.index)
    w = pd.DataFrame({
        "supply": (flows["purchases"] + flows["production"]).to_numpy(float) * prob,
        "production": flows["production"].to_numpy(float) * prob,
        "demand": flows["demand"].to_numpy(float) * prob,
        "shortage": flows["shortage"].to_numpy(float) * prob,
        "risk": terms["risk"] * prob,
        "green": terms["green"] * prob,
    }, index=flows.index)
    per = w.groupby(level="material").sum()
    total = per.sum()
    top = _top_country(d)
    out["expected_shortage"] = float(total["shortage"])
    out["avg_risk"] = _ratio(total["risk"], total["supply"])
    out["top_country_share_max"] = max((v[1] for v in top.values()), default=0.0)
    out["green_share"] = _ratio(total["green"], total["supply"])
    out["domestic_share"] = _ratio(per.loc[per["demand"] > 0, "production"].sum(), total["demand"])
    out["contracted_offers"] = int(len(d.contracts.drop_duplicates(["supplier", "material"])))
    out["modules_started"] = float(_builds(plan).sum())
    out["financing_drawn"] = float(_draws(plan).sum())
    for m in d.materials:
        if m not in per.index:
            continue
        row = per.loc[m]
        country, share = top.get(m, ("", 0.0))
        out[f"top_country.{m}"] = country
        out[f"top_country_share.{m}"] = share
        out[f"domestic_share.{m}"] = _ratio(row["production"], row["demand"])
        out[f"green_share.{m}"] = _ratio(row["green"], row["supply"])
        out[f"avg_risk.{m}"] = _ratio(row["risk"], row["supply"])
        out[f"expected_shortage.{m}"] = float(row["shortage"])
    return out


def _top_country(d) -> dict[str, tuple[str, float]]:
    """Per material: the foreign country with most expected purchases, and its share of
    expected total supply over the horizon."""
    src = d.sourcing
    if src.empty:
        return {}
    country = src["supplier"].map(d.suppliers["country"]).fillna(src["country"])
    w = src["quantity"] * src["scenario"].map(d.probs).fillna(0.0)
    frame = pd.DataFrame({"material": src["material"], "country": country, "w": w})
    frame = frame[frame["country"] != d.home]
    prod = d.production
    supply = (frame.groupby("material")["w"].sum()
              .add((prod["quantity"] * prod["scenario"].map(d.probs).fillna(0.0)).groupby(prod["output"]).sum(),
                   fill_value=0.0)) if len(prod) else frame.groupby("material")["w"].sum()
    by = frame.groupby(["material", "country"])["w"].sum()
    out = {}
    for m in by.index.get_level_values(0).unique():
        series = by.loc[m]
        out[m] = (str(series.idxmax()), _ratio(series.max(), supply.get(m, 0.0)))
    return out


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b and abs(b) > 1e-12 else float("nan")


def _side_by_side_metrics(metrics: list[dict[str, Any]], names: list[str], cvar_weights: list[float]
                          ) -> pd.DataFrame:
    keys: list[str] = []
    for m in metrics:
        keys += [k for k in m if k not in keys]
    # overall metrics first, then per material, then provenance (each in first-seen order)
    provenance = [k for k in keys if k in ("input_file", "input_sha256", "planner_version", "created_at")
                  or k.startswith("solver.")]
    per_material = [k for k in keys if "." in k and not k.startswith(("cost.", "solver.")) and k not in provenance]
    overall = [k for k in keys if k not in provenance and k not in per_material]
    labels = delta_labels(names)
    columns = ["metric"] + names
    for label in labels:
        columns += [label, low_label(label), high_label(label), note_label(label)]
    rows = []
    for key in overall + per_material + provenance:
        values = [m.get(key) for m in metrics]
        row = {"metric": key} | dict(zip(names, values))
        for label, other, value, weight in zip(labels, metrics[1:], values[1:], cvar_weights[1:]):
            row[label] = delta(values[0], value)
            interval = _interval(key, row[label], metrics[0], other, (cvar_weights[0], weight))
            if interval is not None:
                row |= {low_label(label): interval.low, high_label(label): interval.high,
                        note_label(label): interval.note}
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _interval(key: str, diff: Any, a: dict[str, Any], b: dict[str, Any], cvar_weights: tuple[float, float]):
    """The objective's proven interval (the expected cost's too when neither plan weighs CVaR), a
    cost component's tolerance flag (planner.plans.intervals)."""
    sides = (number_or_none(a.get("objective")), a.get("best_bound"),
             number_or_none(b.get("objective")), b.get("best_bound"))
    if key == "objective":
        return objective_interval(*sides)
    if key == "expected_cost":
        return expected_cost_interval(diff, cvar_weights, *sides)
    if is_component(key):
        return component_interval(diff, *sides)
    return None


def delta(a: Any, b: Any) -> Any:
    """B − A for numbers; for text: blank when equal, else "changed"."""
    if _is_number(a) and _is_number(b):
        a, b = float(a), float(b)
        if math.isnan(a) or math.isnan(b):
            return None
        diff = b - a
        return 0.0 if abs(diff) <= 1e-12 * (1 + max(abs(a), abs(b))) else diff
    if blank(a) and blank(b):
        return None
    if _is_number(a) or _is_number(b):
        return None if (blank(a) or blank(b)) else "changed"
    return None if a == b else "changed"


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, bool)


# ------------------------------------------------------------------ decisions side by side


def _purchases(plan: SavedPlan) -> pd.Series:
    return expected_totals(plan.tables["Sourcing"], plan.dataset, ["material", "country"], "quantity")


def _purchases_by_year(plan: SavedPlan) -> pd.Series:
    return expected_totals(plan.tables["Sourcing"], plan.dataset, ["material", "country", "year"], "quantity")


def _builds(plan: SavedPlan) -> pd.Series:
    """Modules started per facility and year (expected over scenarios in a plan solved with recourse_builds)."""
    b = expected_totals(plan.tables["Builds"], plan.dataset, ["facility", "year"], "modules_started")
    return b[b != 0]


def _draws(plan: SavedPlan) -> pd.Series:
    """Draws per source, facility and year (expected over scenarios with recourse_builds)."""
    return expected_totals(plan.tables["Financing"], plan.dataset, ["source", "facility", "year"], "draw")


def _side_by_side(plans, names, getter, keys: list[str]) -> pd.DataFrame:
    series = [getter(p) for p in plans]
    labels = delta_labels(names)
    columns = keys + names + labels
    nonempty = [s for s in series if len(s)]
    if not nonempty:
        return pd.DataFrame(columns=columns)
    index = nonempty[0].index
    for s in nonempty[1:]:
        index = index.union(s.index)
    frame = pd.DataFrame({n: (s.reindex(index) if len(s) else pd.Series(np.nan, index=index)).fillna(0.0)
                          for n, s in zip(names, series)}, index=index)
    frame.index.names = keys
    first = frame[names[0]]
    for label, name in zip(labels, names[1:]):
        diff = frame[name] - first
        noise = diff.abs() <= 1e-9 * (1 + np.maximum(first.abs(), frame[name].abs()))
        frame[label] = diff.where(~noise, 0.0)
    frame = frame.reset_index()
    return frame.sort_values(keys, ignore_index=True)[columns]


def _contracts(plans, names) -> pd.DataFrame:
    cells = [_contract_cells(p) for p in plans]
    keys = sorted(set().union(*cells))
    labels = delta_labels(names)
    rows = []
    for key in keys:
        row = {"supplier": key[0], "material": key[1]} | {n: c.get(key, "") for n, c in zip(names, cells)}
        a = key in cells[0]
        for label, other in zip(labels, cells[1:]):
            b = key in other
            row[label] = "" if a == b else ("added" if b else "dropped")
        rows.append(row)
    return pd.DataFrame(rows, columns=["supplier", "material"] + names + labels)


def _contract_cells(plan: SavedPlan) -> dict[tuple[str, str], str]:
    """(supplier, material) -> "yes" for a contract signed at the start, else the scenarios that sign
    it late and when (a plan solved with Settings recourse_builds: "late in ban (2027)")."""
    t = plan.tables["Contracts"]
    out: dict[tuple[str, str], list[str]] = {}
    scenarios = t["scenario"].where(t["scenario"].notna(), "").astype(str) if "scenario" in t.columns \
        else pd.Series("", index=t.index)
    signed = t["signed_year"] if "signed_year" in t.columns else pd.Series(np.nan, index=t.index)
    for sup, mat, s, year in zip(t["supplier"], t["material"], scenarios, signed):
        text = "yes" if not s else f"late in {s}" + ("" if pd.isna(year) else f" ({int(year)})")
        out.setdefault((sup, mat), []).append(text)
    return {k: "yes" if "yes" in v else ", ".join(v) for k, v in out.items()}


# ------------------------------------------------------------------ input differences


def input_differences(plans: Sequence[SavedPlan], names: list[str]) -> pd.DataFrame:
    """Every input cell that differs between the plans' Input copies: sheet, key, column,
    then each plan's value ("(no row)", "(no sheet)", "(no column)" where it has none)."""
    order = [s.name for s in manifest.SHEETS]
    sheets: list[str] = [n for n in order if any(n in p.inputs for p in plans)]
    sheets += sorted({n for p in plans for n in p.inputs} - set(sheets))
    rows = []
    for sheet in sheets:
        frames = [p.inputs.get(sheet) for p in plans]
        rows += _sheet_differences(sheet, frames, names)
    return pd.DataFrame(rows, columns=["sheet", "key", "column"] + names)


def _sheet_differences(sheet: str, frames: list[pd.DataFrame | None], names: list[str]) -> list[dict]:
    key_cols = _key_columns(sheet, frames)
    columns: list[str] = []
    for f in frames:
        if f is not None:
            columns += [c for c in f.columns if c != "excel_row" and c not in columns]
    records = [_records(f, key_cols) if f is not None else None for f in frames]
    keys: dict[tuple, None] = {}
    for rec in records:
        if rec is not None:
            keys.update(dict.fromkeys(rec))
    out = []
    for key in keys:
        label = ", ".join(f"{c}={v}" for c, v in zip(key_cols, key)) if key_cols else f"row {key[0] + 2}"
        for col in columns:
            if key_cols and col in key_cols:
                continue
            values = []
            for f, rec in zip(frames, records):
                if rec is None:
                    values.append(NO_SHEET)
                elif key not in rec:
                    values.append(NO_ROW)
                elif col not in f.columns:
                    values.append(NO_COLUMN)
                else:
                    values.append(rec[key][col])
            if not _all_equal(values):
                out.append({"sheet": sheet, "key": label, "column": col} | dict(zip(names, values)))
    return out


def _key_columns(sheet: str, frames: list[pd.DataFrame | None]) -> list[str]:
    """The manifest key when every copy has it and it is unique in each; else none (row position)."""
    if sheet not in manifest.SHEETS_BY_NAME:
        return []
    key = list(manifest.sheet(sheet).key)
    if not key:
        return []
    for f in frames:
        if f is None:
            continue
        if any(k not in f.columns for k in key):
            return []
        if f.duplicated(key).any():
            return []
    return key


def _records(frame: pd.DataFrame, key_cols: list[str]) -> dict[tuple, dict[str, Any]]:
    out: dict[tuple, dict[str, Any]] = {}
    for pos, row in enumerate(frame.to_dict("records")):
        row = {k: _normal(v) for k, v in row.items() if k != "excel_row"}
        key = tuple(_key_text(row[k]) for k in key_cols) if key_cols else (pos,)
        out[key] = row
    return out


def _key_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _normal(value: Any) -> Any:
    """Blank -> None; numbers as float (2026 == 2026.0); text stripped; bools kept."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Number):
        value = float(value)
        return None if math.isnan(value) else value
    if isinstance(value, str):
        return value.strip() or None
    return value


def _all_equal(values: list[Any]) -> bool:
    first = values[0]
    return all(_same(first, v) for v in values[1:])


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


# ------------------------------------------------------------------ warnings and output


def _warnings(plans: Sequence[SavedPlan], names: list[str], metrics: list[dict[str, Any]]) -> list[str]:
    out = []
    versions = {n: str(p.summary.get("planner_version") or "?") for n, p in zip(names, plans)}
    if len(set(versions.values())) > 1:
        out.append("plans come from different planner versions: "
                   + ", ".join(f"{n} {v}" for n, v in versions.items()))
    shas = {n: str(p.summary.get("input_sha256") or "") for n, p in zip(names, plans)}
    if len(set(shas.values())) > 1:
        out.append("plans come from different inputs (input SHA-256): "
                   + ", ".join(f"{n} {v[:12] or '?'}" for n, v in shas.items()))
    currencies = {n: str(p.dataset.settings.get("currency") or "") for n, p in zip(names, plans)}
    if len(set(currencies.values())) > 1:
        out.append("plans are in different currencies: " + ", ".join(f"{n} {c}" for n, c in currencies.items()))
    for n, p, m in zip(names, plans, metrics):
        if RECOMPUTE_ERROR in m:
            out.append(f"{n}: figures from its decisions could not be recomputed ({m[RECOMPUTE_ERROR]}); run "
                       f"`trust-planner check` on it")
    for n, p in zip(names, plans):
        if str(p.summary.get("status", "")) != "optimal":
            out.append(f"{n} is not proven optimal ({p.summary.get('status')}; gap {p.summary.get('gap')})")
    return out


def plans_table(comparison: Comparison) -> pd.DataFrame:
    rows = []
    for n, p in zip(comparison.names, comparison.plans):
        s = p.summary
        rows.append({"plan": n, "file": str(p.path), "status": s.get("status"), "objective": p.objective,
                     "best_bound": number_or_none(s.get("best_bound")), "gap": number_or_none(s.get("gap")),
                     "input_file": s.get("input_file"), "input_sha256": s.get("input_sha256"),
                     "planner_version": s.get("planner_version"), "created_at": s.get("created_at")})
    frame = pd.DataFrame(rows)
    notes = pd.DataFrame({"plan": ["warning"] * len(comparison.warnings), "file": comparison.warnings})
    return pd.concat([frame, notes], ignore_index=True) if len(notes) else frame


def chart_blocks(comparison: Comparison):
    """The change of the objective and of each cost component, every later plan against the
    first (clustered columns): the totals are nearly equal and would hide the differences."""
    from planner.io.charts import ChartBlock
    from planner.io.plan_terms import cost_label

    s = comparison.summary.set_index("metric")
    metrics = [m for m in ["objective"] + [m for m in s.index if m.startswith("cost.")] if m in s.index]
    totals = s.loc[metrics, comparison.names].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    first = comparison.names[0]
    changes = pd.DataFrame({f"{n} − {first}": totals[n] - totals[first] for n in comparison.names[1:]})
    changes = changes[(changes.abs() > 1e-9).any(axis=1) | (changes.index == "objective")]
    labels = {m: "Objective" if m == "objective" else cost_label(m[5:]) for m in changes.index}
    data = changes.rename(index=labels).rename_axis("component").reset_index()
    currency = str(comparison.plans[0].dataset.settings.get("currency") or "")
    return [ChartBlock(f"Change against {first} (objective {totals.at['objective', first]:,.0f} {currency}): "
                       "objective and cost components", data, "clustered", y_title=currency)]


def write_comparison(comparison: Comparison, path: str | Path) -> Path:
    """The comparison workbook, written whole or not at all (planner.io.plan.write_workbook_atomic)."""
    from planner.io.charts import add_chart_sheet
    from planner.io.plan import write_workbook_atomic

    from planner.schema.names import names_of, with_names

    path = Path(path)
    names = names_of(comparison.plans[0].dataset)
    sheets = {
        "Summary": comparison.summary,
        "Purchases": with_names(comparison.purchases, names),
        "Purchases by year": with_names(comparison.purchases_by_year, names),
        "Contracts": with_names(comparison.contracts, names),
        "Builds": with_names(comparison.builds, names),
        "Financing": with_names(comparison.financing, names),
        "Input differences": comparison.inputs,
        "Plans": plans_table(comparison),
    }
    blocks = chart_blocks(comparison)
    write_workbook_atomic(path, sheets, decorate=lambda wb, _ws: add_chart_sheet(wb, blocks, before="Purchases"),
                          kind="comparison")
    return path
