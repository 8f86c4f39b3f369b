"""A plan's decisions as a plain record keyed by ids, and their columns in a model.

:class:`Decisions` holds what a plan decided, keyed by the ids a planner writes
(supplier, material, facility, source, scenario, year), never by a position in a model:
the planner side fills it from a saved plan's tables (planner.plans.decisions), and
:func:`map_decisions` finds each decision's column in the model being solved, which may
be a variant of the plan's own (an offer removed, a facility added, another horizon).

A decision with no column (its offer, facility, source or scenario is gone, its year is
outside the horizon or the facility's build window, its offer delivers nothing that
year) is *dropped*; a value outside its column's bounds now (e.g. more modules than a
lowered max_modules) is moved to the bound and counted *repaired*. Every decision column
(contracts, qualifications, builds, source use; draws, purchases, production, stock,
shortage) gets a start value: the plan's where it has one, else 0 (the plan did not
decide it: no contract, no module, no purchase). Values stay in the plan's units, which
are the model's (money in the input currency, quantities in the material's unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

#: Below this a saved quantity counts as zero (the plan writer drops smaller values).
TOL = 1e-6


@dataclass
class Decisions:
    """What a plan decided, by ids (first stage, then per scenario)."""

    #: The plan it came from (for messages).
    name: str = ""
    #: Contracted offers, (supplier, material).
    contracts: set[tuple[str, str]] = field(default_factory=set)
    #: Qualified suppliers.
    qualified: set[str] = field(default_factory=set)
    #: Modules started, (facility, year) -> count.
    builds: dict[tuple[str, int], float] = field(default_factory=dict)
    #: Financing sources used (drawn on).
    sources: set[str] = field(default_factory=set)
    #: Draws, (source, facility, year) -> amount.
    draws: dict[tuple[str, str, int], float] = field(default_factory=dict)
    #: A plan solved with Settings recourse_builds (models.families.recourse): each scenario's own
    #: builds (scenario, facility, year) -> count and draws (scenario, source, facility, year) ->
    #: amount from the year it parts from the reference (whose are ``builds`` and ``draws``), its
    #: late contracts (scenario, supplier, material) and late qualifications (scenario, supplier).
    scenario_builds: dict[tuple[str, str, int], float] = field(default_factory=dict)
    scenario_draws: dict[tuple[str, str, str, int], float] = field(default_factory=dict)
    late_contracts: set[tuple[str, str, str]] = field(default_factory=set)
    late_qualified: set[tuple[str, str]] = field(default_factory=set)
    #: The plan decided builds and draws per scenario (solved with recourse_builds); if not, a model
    #: with recourse starts every scenario's own builds and draws at the shared ones.
    by_scenario: bool = False
    #: Purchases, (scenario, year, supplier, material) -> quantity.
    purchases: dict[tuple[str, int, str, str], float] = field(default_factory=dict)
    #: Production, (scenario, year, facility) -> quantity.
    production: dict[tuple[str, int, str], float] = field(default_factory=dict)
    #: Closing stock, (scenario, year, material) -> quantity.
    stock: dict[tuple[str, int, str], float] = field(default_factory=dict)
    #: Unmet demand, (scenario, year, material) -> quantity.
    shortage: dict[tuple[str, int, str], float] = field(default_factory=dict)

    def count(self) -> int:
        """Number of decisions the record holds."""
        return sum(len(getattr(self, name)) for name in _KINDS)


#: Record field -> how a decision of it is named in messages.
_KINDS = {"contracts": "contract", "qualified": "qualification", "builds": "build", "sources": "use of source",
          "draws": "draw", "scenario_builds": "scenario's build", "scenario_draws": "scenario's draw",
          "late_contracts": "late contract", "late_qualified": "late qualification", "purchases": "purchase",
          "production": "production", "stock": "stock", "shortage": "shortage"}
#: Why a scenario's own decision (recourse) has no column in the model being solved.
_NOT_OWN = "the scenario does not decide it apart in this model (Settings recourse_builds off, or its data diverge later)"


@dataclass
class Mapped:
    """Decisions placed on a model's columns (HiGHS column numbers)."""

    #: Every integer decision column (not fixed in the model) and its start value.
    integer_columns: np.ndarray
    integer_values: np.ndarray
    #: Every continuous decision column (not fixed in the model) and its start value.
    continuous_columns: np.ndarray
    continuous_values: np.ndarray
    #: Plan decisions that have a column: (column, value, label), integer and continuous apart.
    integer_decisions: list[tuple[int, float, str]] = field(default_factory=list)
    continuous_decisions: list[tuple[int, float, str]] = field(default_factory=list)
    #: Plan decisions with nothing to set: a contract or qualification the model needs no
    #: yes/no decision for (no cost, no minimum), which it may use freely.
    free: list[str] = field(default_factory=list)
    #: (label, reason) of each decision without a column.
    dropped: list[tuple[str, str]] = field(default_factory=list)
    #: (label, saved value, value used) of each decision moved into its column's bounds.
    clipped: list[tuple[str, float, float]] = field(default_factory=list)


def map_decisions(m, decisions: Decisions, column: Callable[[Any], int]) -> Mapped:
    """Place ``decisions`` on the columns of model ``m`` (``column(var)``: its HiGHS column)."""
    sd, dd = m.data.supply, m.data.domestic
    offer_of = {(sd.supplier[o], sd.material[o]): o for o in sd.offers}
    out = _Builder(m, column)

    for u, i in sorted(decisions.contracts):
        label = f"contract {u}/{i}"
        o = offer_of.get((u, i))
        if o is None:
            out.drop(label, "no such offer in this model (removed, or its country is sanctioned)")
        else:
            out.set(m.z, o, 1.0, label, integer=True)
    for u in sorted(decisions.qualified):
        label = f"qualification of {u}"
        if not any(sd.supplier[o] == u for o in sd.offers):
            out.drop(label, "the supplier has no offer in this model")
        else:
            out.set(m.w, u, 1.0, label, integer=True)
    for (f, y), n in sorted(decisions.builds.items()):
        label = f"build {f} {y}"
        if f not in dd.material:
            out.drop(label, "no such facility in this model")
        else:
            out.place(m.b, (f, y), float(round(n)), label, integer=True,
                      missing="no build may start that year (outside the horizon or the facility's build window)")
    for k in sorted(decisions.sources):
        if k not in dd.sources:
            out.drop(f"use of source {k}", "no such financing source in this model")
        else:
            out.set(m.v, k, 1.0, f"use of source {k}", integer=True)
    for (k, f, y), amount in sorted(decisions.draws.items()):
        out.place(m.x, (k, f, y), amount, f"draw {k} {f} {y}",
                  missing="no such draw in this model (source, facility or build year gone)")
    for (s, f, y), n in sorted(decisions.scenario_builds.items()):
        out.place(m.br, (s, f, y), float(round(n)), f"build {f} {y} in {s}", missing=_NOT_OWN, integer=True)
    for (s, k, f, y), amount in sorted(decisions.scenario_draws.items()):
        out.place(m.xr, (s, k, f, y), amount, f"draw {k} {f} {y} in {s}", missing=_NOT_OWN)
    for s, u, i in sorted(decisions.late_contracts):
        o = offer_of.get((u, i))
        out.place(m.zl, (s, o), 1.0, f"late contract {u}/{i} in {s}", integer=True,
                  missing="no such offer in this model" if o is None else _NOT_OWN)
    for s, u in sorted(decisions.late_qualified):
        out.place(m.wl, (s, u), 1.0, f"late qualification of {u} in {s}", missing=_NOT_OWN, integer=True)
    if not decisions.by_scenario:
        out.follow(m.br, m.b, integer=True)
        out.follow(m.xr, m.x)
    for (s, y, u, i), qty in sorted(decisions.purchases.items()):
        label = f"purchase {s} {y} {u}/{i}"
        o = offer_of.get((u, i))
        if o is None:
            out.drop(label, "no such offer in this model (removed, or its country is sanctioned)")
        else:
            out.place(m.q, (s, y, o), qty, label,
                      missing="the offer delivers nothing that year in this scenario (or either is gone)")
    for (s, y, f), qty in sorted(decisions.production.items()):
        out.place(m.p, (s, y, f), qty, f"production {s} {y} {f}",
                  missing="the facility cannot produce that year in this model (or the scenario is gone)")
    for name, var in (("stock", m.stock), ("shortage", m.short)):
        for (s, y, i), qty in sorted(getattr(decisions, name).items()):
            out.place(var, (s, i, y), qty, f"{name} {s} {y} {i}",
                      missing="no such material, year or scenario in this model")
    return out.result()


class _Builder:
    """Collects the mapped decisions; decision columns the plan did not decide start at 0."""

    def __init__(self, m, column: Callable[[Any], int]):
        self.column = column
        empty = np.zeros(0, dtype=np.int32)
        self.mapped = Mapped(empty, np.zeros(0), empty, np.zeros(0))
        self.start: dict[bool, dict[int, float]] = {True: {}, False: {}}  # integer? -> column -> value
        # recourse's own decisions (models.families.recourse) the plan has none of start at 0
        for integer, variables in ((True, (m.z, m.w, m.b, m.v, m.br, m.zl, m.wl)),
                                   (False, (m.x, m.xr, m.q, m.p, m.stock, m.short))):
            for var in variables:
                for v in var.values():
                    if not v.fixed:
                        self.start[integer][column(v)] = _clip(0.0, v)

    def drop(self, label: str, reason: str) -> None:
        self.mapped.dropped.append((label, reason))

    def place(self, var, key, value: float, label: str, missing: str, integer: bool = False) -> None:
        """Set ``var[key]``; a decision without that column is dropped, saying ``missing``."""
        if key not in var:
            self.drop(label, missing)
        else:
            self.set(var, key, value, label, integer)

    def set(self, var, key, value: float, label: str, integer: bool = False) -> None:
        """Set ``var[key]``; where the model has no such column (a contract or qualification
        with no yes/no decision) the decision is free: used, nothing to set."""
        if key not in var:  # a contract or qualification the model leaves free
            self.mapped.free.append(label)
            return
        v = var[key]
        if v.fixed:
            used = float(v.value)
        else:
            used = _clip(float(value), v)
        if abs(used - value) > TOL * max(1.0, abs(value)):
            self.mapped.clipped.append((label, float(value), used))
        j = self.column(v)
        if not v.fixed:
            self.start[integer][j] = used
        (self.mapped.integer_decisions if integer else self.mapped.continuous_decisions).append((j, used, label))

    def follow(self, own, shared, integer: bool = False) -> None:
        """Start each column of ``own`` (indexed scenario, *key: a scenario's own builds or draws) at
        the start of ``shared[key]``: the scenario does as the plan did for every scenario."""
        for (_s, *key), v in own.items():
            twin = shared[tuple(key)]
            value = float(twin.value or 0.0) if twin.fixed else self.start[integer].get(self.column(twin), 0.0)
            if not v.fixed:
                self.start[integer][self.column(v)] = _clip(value, v)

    def result(self) -> Mapped:
        for integer, (cols, vals) in ((True, ("integer_columns", "integer_values")),
                                      (False, ("continuous_columns", "continuous_values"))):
            start = self.start[integer]
            columns = sorted(start)
            setattr(self.mapped, cols, np.array(columns, dtype=np.int32))
            setattr(self.mapped, vals, np.array([start[j] for j in columns], dtype=float))
        return self.mapped


def _clip(value: float, v) -> float:
    lb, ub = v.lb, v.ub
    if lb is not None and value < lb:
        return float(lb)
    if ub is not None and value > ub:
        return float(ub)
    return value
