r"""Tidy an incumbent: release yes/no decisions that are paid for but not used.

A plan found at a time limit or within the MIP gap may qualify a supplier it never
buys from or contracts with, or pay a source's arrangement fee without drawing on it.
The SPEC charges qualification only "if any of its offers is contracted", and such a
binary appears only in constraints that hold with it at 0 (``q <= M w``,
``z <= w``, ``sum q <= cap w``; ``sum x <= L v``, ``sum x >= min_draw v``), so setting
it to 0 keeps the plan feasible and only lowers its cost. The plan's objective is then
re-evaluated from the model.

Likewise a capped production-linked incentive earned below what its production allows
(:math:`\pi < \min(\Psi, \psi p)`, models.families.incentives) is raised to it: its rows hold, and
the cost only falls.

And the CVaR's value-at-risk and excesses (models.families.risk) are set to their best values for
the plan's scenario costs, :math:`\eta` the alpha-quantile and :math:`\xi_s = \max(0, C_s - \eta)`: a
plan not solved to the end (the quick plan, whose CVaR was settled before its qualifications were
released; a time-limit incumbent) may carry a CVaR above its worst scenario's cost, which is no
CVaR of that plan at all.
"""

from __future__ import annotations

from collections import defaultdict

from models.families.risk import cvar_of
from models.params.domestic import pli_paid

TOL = 1e-6


def release_idle_binaries(m) -> list[str]:
    """Set idle qualification and source-use binaries to 0; return what was released."""
    sd = m.data.supply
    busy: defaultdict[str, bool] = defaultdict(bool)
    busy_late: defaultdict[tuple, bool] = defaultdict(bool)  # (scenario, supplier), for late qualifications
    for (s, y, o), var in m.q.items():
        if (var.value or 0.0) > TOL:
            busy[sd.supplier[o]] = busy_late[(s, sd.supplier[o])] = True
    for o, var in m.z.items():
        if (var.value or 0.0) > 0.5:
            busy[sd.supplier[o]] = True
    for (s, o), var in m.zl.items():
        if (var.value or 0.0) > 0.5:
            busy[sd.supplier[o]] = busy_late[(s, sd.supplier[o])] = True
    released = []
    for u, var in m.w.items():
        if (var.value or 0.0) > 0.5 and not busy[u]:
            var.set_value(0)
            released.append(f"qualification of {u}")
    for (s, u), var in m.wl.items():
        if (var.value or 0.0) > 0.5 and not busy_late[(s, u)]:
            var.set_value(0)
            released.append(f"late qualification of {u} ({s})")
    drawn: defaultdict[str, float] = defaultdict(float)
    for (k, f, y), var in m.x.items():
        drawn[k] += var.value or 0.0
    for (s, k, f, y), var in m.xr.items():
        drawn[k] += var.value or 0.0
    for k, var in m.v.items():
        if (var.value or 0.0) > 0.5 and drawn[k] <= TOL:
            var.set_value(0)
            released.append(f"use of {k}")
    return released


def earn_incentives_in_full(m) -> list[str]:
    """Raise each capped incentive earned to min(cap, incentive per unit x production); return what changed."""
    dd = m.data.domestic
    raised = []
    for (s, t, f), var in m.pli.items():
        most = min(dd.pli_cap[f], pli_paid(dd, f, t) * (m.ix.p[(s, t, f)].value or 0.0))
        if most - (var.value or 0.0) > TOL * max(1.0, most):
            var.set_value(most)
            raised.append(f"incentive of {f} in {t} ({s})")
    return raised


def settle_cvar(m, value) -> list[str]:
    """Set eta and xi to the CVaR's minimum for the scenario costs ``value`` gives (the plan's);
    return what changed (nothing without CVaR, or when they were already there)."""
    if m.component("eta") is None:
        return []
    d = m.data
    costs = {s: value(m.scenario_cost[s]) for s in d.scenarios}
    # the alpha-quantile: the least cost whose scenarios at or below it hold probability alpha
    eta, held = None, 0.0
    for s in sorted(d.scenarios, key=costs.__getitem__):
        held += d.prob[s]
        eta = costs[s]
        if held >= d.cvar_alpha - 1e-12:
            break
    excess = {s: max(0.0, costs[s] - eta) for s in d.scenarios}
    now = cvar_of(d, m.eta.value or 0.0, {s: m.xi[s].value or 0.0 for s in d.scenarios})
    best = cvar_of(d, eta, excess)
    if now - best <= TOL * max(1.0, abs(best)):
        return []
    m.eta.set_value(eta)
    for s, v in excess.items():
        m.xi[s].set_value(v)
    return ["the CVaR's value-at-risk"]
