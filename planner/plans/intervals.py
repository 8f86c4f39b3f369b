"""Honest deltas between plans (SPEC §3): each objective delta with the interval it is
proven to lie in, and the "within solver tolerance" flag.

A plan proven to a gap carries its objective ``z`` (the cost of its own decisions) and
its best bound ``L`` (no plan of its model costs less), so its model's optimum lies in
``[L, z]``. For two plans A and B of two models, the difference of the optima (what
the change between the models costs) therefore lies in

    [L_B - z_A, z_B - L_A]  =  [d - g_B, d + g_A],   d = z_B - z_A,  g = z - L >= 0

and a delta whose interval contains 0 is "within solver tolerance": the solver did not
prove whether the change costs anything at all.

The expected cost is the objective when both plans weigh CVaR at 0: its delta then has the
objective's interval. Other cost components have no bound of their own: another plan within the tolerance may
divide the same total differently. What can be shown honestly is the plans' own
component delta and whether it is no larger than the objective interval's width
``g_A + g_B`` (the most cost a plan may leave on the table within tolerance, which could
all sit in one component): then it is flagged too. A larger component delta is a real
difference between these two plans, but not a proven effect of the change (equally good
plans may differ in it). docs/decisions.md "Honest deltas" holds the reasoning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WITHIN = "within solver tolerance"
PROVEN_HIGHER = "proven higher"
PROVEN_LOWER = "proven lower"
NO_BOUND = "no proven bound"
#: A component delta larger than the tolerance: these plans differ, the optima may not.
BEYOND = "beyond the tolerance (no bound per component)"
#: Summary metrics that are parts of the objective (no bound of their own). The CVaR itself is
#: not: it enters the objective weighted (as cost.cvar, a component) or not at all, so the
#: objective's gap says nothing about it at its own scale, and its delta gets no flag.
COMPONENT_PREFIX = "cost."
COMPONENT_METRICS = ("expected_cost",)


@dataclass(frozen=True)
class Interval:
    """Where a delta is proven to lie (``low``/``high`` None: not proven) and its flag."""

    low: float | None
    high: float | None
    note: str


def delta_label(name: str, first: str) -> str:
    """The column holding plan ``name``'s delta against the first plan ``first``."""
    return f"delta ({name} − {first})"


def low_label(label: str) -> str:
    return f"{label} low"


def high_label(label: str) -> str:
    return f"{label} high"


def note_label(label: str) -> str:
    return f"{label} note"


def slack(objective: float | None, bound: float | None) -> float | None:
    """``objective - bound`` (>= 0; a bound a hair above the objective counts as 0)."""
    if objective is None or bound is None or _nan(objective) or _nan(bound):
        return None
    return max(0.0, float(objective) - float(bound))


def objective_interval(obj_a: float | None, bound_a: float | None,
                       obj_b: float | None, bound_b: float | None) -> Interval | None:
    """Where the difference of the two models' optima, B - A, lies; None without objectives."""
    if obj_a is None or obj_b is None or _nan(obj_a) or _nan(obj_b):
        return None
    g_a, g_b = slack(obj_a, bound_a), slack(obj_b, bound_b)
    if g_a is None or g_b is None:
        return Interval(None, None, NO_BOUND)
    d = float(obj_b) - float(obj_a)
    low, high = d - g_b, d + g_a
    if low <= 0.0 <= high:
        note = WITHIN
    else:
        note = PROVEN_HIGHER if low > 0 else PROVEN_LOWER
    return Interval(low, high, note)


def component_interval(delta: float | None, obj_a: float | None, bound_a: float | None,
                       obj_b: float | None, bound_b: float | None) -> Interval | None:
    """A cost component's delta: no interval (nothing bounds a component); flagged when it is
    no larger than the tolerance ``g_A + g_B``."""
    if delta is None or not isinstance(delta, (int, float)) or _nan(delta):
        return None
    if delta == 0.0:
        return Interval(None, None, "")  # no difference to qualify
    g_a, g_b = slack(obj_a, bound_a), slack(obj_b, bound_b)
    if g_a is None or g_b is None:
        return Interval(None, None, NO_BOUND)
    return Interval(None, None, WITHIN if abs(delta) <= g_a + g_b else BEYOND)


def expected_cost_interval(delta: float | None, cvar_weights: tuple[float, float], obj_a: float | None,
                           bound_a: float | None, obj_b: float | None, bound_b: float | None) -> Interval | None:
    """The expected cost's delta. With cvar_weight 0 in both plans the objective is the expected
    cost (objective = expected_cost + cvar_weight x CVaR), so its delta has the objective's
    interval; otherwise it is a component like the others (:func:`component_interval`)."""
    if all(w == 0.0 for w in cvar_weights):
        return objective_interval(obj_a, bound_a, obj_b, bound_b)
    return component_interval(delta, obj_a, bound_a, obj_b, bound_b)


def is_component(metric: str) -> bool:
    return metric.startswith(COMPONENT_PREFIX) or metric in COMPONENT_METRICS


def _nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)
