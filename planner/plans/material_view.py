"""One material across compared plans (`compare --material M`): where its supply comes from,
what is built for it, and its shares, plan by plan, with each later plan's change against
the first.

Supply is expected over the scenarios and summed over the horizon, per origin (the
supplier's country, or domestic production); builds are the modules started per facility
making the material and year; shares are the comparison's own per-material figures
(planner.plans.compare, recomputed from each plan's decisions). Ids come with names.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from planner.io.charts import DOMESTIC, expected_supply, expected_totals, supply_by_origin
from planner.plans.compare import Comparison
from planner.schema.names import names_of

#: The comparison's per-material metrics shown, with how a reader says them.
SHARE_ROWS = (
    ("top_country", "largest foreign supplier"),
    ("top_country_share", "its share of supply"),
    ("domestic_share", "domestic share of demand"),
    ("green_share", "green share of supply"),
    ("avg_risk", "average risk of supply (0..1)"),
    ("expected_shortage", "unmet demand (expected)"),
)


@dataclass
class MaterialView:
    material: str
    label: str
    unit: str
    names: list[str]            # the plans
    supply: pd.DataFrame        # origin (label), then per plan quantity, then per later plan its change
    builds: pd.DataFrame        # facility (label), year, then per plan modules started, then the changes
    shares: pd.DataFrame        # figure, then per plan its value (text or number)
    totals: list[float]         # per plan: the material's supply over the horizon


class UnknownMaterial(LookupError):
    """The material is in none of the plans; the message names the closest ones."""


def find_material(comparison: Comparison, text: str) -> str:
    """The material id ``text`` means: an id of any plan (exactly, then ignoring case), or a
    material's name (ignoring case); else UnknownMaterial with the closest ids and names."""
    names = {}
    for plan in comparison.plans:
        mats = plan.dataset["Materials"]
        names.update(zip(mats["material"].astype(str), mats["name"].astype(str)))
    if text in names:
        return text
    wanted = text.strip().lower()
    for ident, name in names.items():
        if ident.lower() == wanted or name.strip().lower() == wanted:
            return ident
    candidates = {ident.lower(): ident for ident in names} | {name.lower(): ident for ident, name in names.items()}
    close = difflib.get_close_matches(wanted, list(candidates), n=3, cutoff=0.5)
    hint = ", ".join(dict.fromkeys(f"{candidates[c]} ({names[candidates[c]]})" for c in close))
    raise UnknownMaterial(f"no material {text!r} in these plans" + (f"; did you mean {hint}?" if hint else
                                                                   f"; their materials: {', '.join(names)}"))


def material_view(comparison: Comparison, material: str) -> MaterialView:
    first = comparison.plans[0]
    names = names_of(first.dataset)  # plans of one study share their inputs; ids the first lacks show as ids
    plans = comparison.names
    supply = _side_by_side([_supply(p, material) for p in comparison.plans], plans)
    supply.index = [names.domestic if o == DOMESTIC else names.country(o) for o in supply.index]
    builds = _side_by_side([_builds(p, material) for p in comparison.plans], plans)
    if len(builds):
        builds.index = pd.MultiIndex.from_tuples([(names.facility(f), int(y)) for f, y in builds.index],
                                                 names=["facility", "year"])
    summary = comparison.summary.set_index("metric")
    rows = []
    for key, words in SHARE_ROWS:
        metric = f"{key}.{material}"
        if metric not in summary.index:
            continue
        values = [summary.at[metric, n] for n in plans]
        if key == "top_country":
            values = [names.country(v) if isinstance(v, str) and v else "none" for v in values]
        rows.append([words] + values)
    unit = names.unit(material) or first.dataset["Materials"].set_index("material")["unit"].get(material, "")
    return MaterialView(material=material, label=names.material(material), unit=unit, names=plans,
                        supply=supply.rename_axis("origin").reset_index(),
                        builds=builds.reset_index() if len(builds)
                        else pd.DataFrame(columns=["facility", "year"] + plans),
                        shares=pd.DataFrame(rows, columns=["figure"] + plans),
                        totals=[float(supply[n].sum()) for n in plans])


def _supply(plan, material: str) -> pd.Series:
    flows = supply_by_origin(plan.tables, plan.dataset)
    flows = flows[flows["material"] == material]
    if flows.empty:
        return pd.Series(dtype=float)
    return expected_supply(flows, plan.dataset).groupby("origin")["quantity"].sum()


def _builds(plan, material: str) -> pd.Series:
    fac = plan.dataset["Facilities"]
    makers = set(fac.loc[fac["material"].astype(str) == material, "facility"].astype(str))
    b = plan.tables["Builds"]
    b = b[b["facility"].astype(str).isin(makers) & (b["modules_started"].fillna(0) > 0)]
    # expected over scenarios where builds differ by scenario (Settings recourse_builds)
    return expected_totals(b, plan.dataset, ["facility", "year"], "modules_started")


def _side_by_side(series: list[pd.Series], names: list[str]) -> pd.DataFrame:
    """Plans as columns (0 where a plan has none), then each later plan minus the first."""
    frame = pd.concat([s.rename(n) for s, n in zip(series, names)], axis=1).fillna(0.0) if any(len(s) for s in series) \
        else pd.DataFrame(columns=names, dtype=float)
    for n in names[1:]:
        frame[f"{n} − {names[0]}"] = frame[n] - frame[names[0]]
    if len(frame) and not isinstance(frame.index, pd.MultiIndex):
        frame = frame.sort_values(names[0], ascending=False)
    return frame
