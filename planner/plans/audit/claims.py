"""What a plan says about its own solve (the Summary's status, bound, gap, provenance), checked
against the definitions, and what the audit cannot verify without the solver.

- ``best_bound <= objective``: the bound is a proven lower bound of a minimisation, and the
  objective is the cost of the plan's own decisions (verified by planner.plans.audit.costs);
- ``gap`` = :func:`models.outcome.relative_gap` of the objective and bound;
- ``status`` one of a solve that has a plan ("optimal", or a time limit with a plan);
  ``proven_optimal`` true exactly when the status is optimal; an optimal plan's gap within
  the mip_gap it was solved at (its ``solver.options`` rel_gap, else its Settings mip_gap);
- ``input_sha256``: 64 hexadecimal digits, not all zeros (blank: a plan solved from data held
  in memory, said unverified).

Not verifiable from the plan alone (listed by :func:`unverified`): that the bound is a proof
(it comes from HiGHS' search), that the input file had that SHA-256 (the file is not at
hand), and the Marginal values (each is the dual of an LP with the plan's integer decisions
fixed; recomputing them needs a solver, which the audit does not use).
"""

from __future__ import annotations

import re

from models.outcome import Status, relative_gap
from planner.plans.audit.findings import Finding, Tolerance, num
from planner.plans.saved_plan import SavedPlan
from planner.schema.numbers import number_or_none

_SHA256 = re.compile(r"[0-9a-f]{64}")
_REL_GAP = re.compile(r"\brel_gap=([0-9.eE+-]+)")
#: Statuses of a solve that wrote a plan (models.outcome.Status).
PLAN_STATUSES = {s.value for s in Status if s.has_plan}


def check_claims(plan: SavedPlan) -> list[Finding]:
    out: list[Finding] = []
    s = plan.summary
    objective, bound, gap = plan.objective, number_or_none(s.get("best_bound")), number_or_none(s.get("gap"))
    tol = Tolerance(max(1.0, abs(objective or 0.0)))
    status = str(s.get("status", "")).strip()
    if status not in PLAN_STATUSES:
        out.append(Finding("solve record", "Summary", "status", f"status {status!r} is not that of a solve that "
                           f"wrote a plan ({' or '.join(sorted(PLAN_STATUSES))})"))
    proven = s.get("proven_optimal")
    if isinstance(proven, str):
        proven = {"true": True, "false": False}.get(proven.strip().lower(), proven)
    if status in PLAN_STATUSES and proven is not (status == Status.OPTIMAL.value):
        out.append(Finding("solve record", "Summary", "proven_optimal", f"proven_optimal is {proven!r} but the "
                           f"status is {status!r} (true exactly when the status is optimal)"))
    if objective is not None and bound is not None and bound > objective + tol(objective):
        out.append(Finding("solve record", "Summary", "best_bound", f"best bound {num(bound)} is above the "
                           f"objective {num(objective)}: a lower bound of a minimisation cannot be",
                           found=bound, expected=objective))
    expected_gap = relative_gap(objective, bound)
    if (gap is None) != (expected_gap is None) or (
            gap is not None and abs(gap - expected_gap) > 1e-6 * max(1.0, abs(expected_gap))):
        out.append(Finding("solve record", "Summary", "gap", f"gap {_text(gap)}, but |objective - best_bound| / "
                           f"|objective| = {_text(expected_gap)}", found=gap, expected=expected_gap))
    limit = _mip_gap(plan)
    if status == Status.OPTIMAL.value and gap is not None and limit is not None and gap > limit * (1 + 1e-6) + 1e-9:
        out.append(Finding("solve record", "Summary", "status", f"status optimal with a gap of {_text(gap)}, above "
                           f"the mip_gap {_text(limit)} it was solved at", found=gap, expected=limit))
    sha = str(s.get("input_sha256") or "").strip()
    if sha and (not _SHA256.fullmatch(sha) or set(sha) == {"0"}):
        out.append(Finding("provenance", "Summary", "input_sha256", f"input_sha256 {sha[:80]!r} is not the "
                           "SHA-256 of a file (64 hexadecimal digits)"))
    return out


def unverified(plan: SavedPlan) -> list[str]:
    """What the audit could not verify, in words (see the module docstring)."""
    out = ["best_bound as a proof (only bound <= objective and the gap are checked)"]
    if str(plan.summary.get("input_sha256") or "").strip():
        out.append("that the input file had the SHA-256 the plan names (the file is not at hand)")
    else:
        out.append("the input file: the plan names no SHA-256 (solved from data held in memory)")
    if "Marginal values" in plan.sheetnames:
        out.append("the Marginal values sheet (duals of an LP with the plan's integer decisions fixed: "
                   "recomputing them needs a solver)")
    return out


def _mip_gap(plan: SavedPlan) -> float | None:
    """The relative gap the plan was solved at: its solver options, else its Settings."""
    options = str(plan.summary.get("solver.options") or "")
    match = _REL_GAP.search(options)
    if match:
        return number_or_none(match.group(1))
    return number_or_none(plan.dataset.settings.get("mip_gap"))


def _text(value: float | None) -> str:
    return "blank" if value is None else f"{value:.6g}"
