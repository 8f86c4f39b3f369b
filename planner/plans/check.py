"""Audit a saved plan without the solver: `check_plan(read_plan(path))`.

From the plan's Input.<sheet> copies and its decision sheets (Sourcing, Contracts, Builds,
Production, Financing, Stock, Shortages) the audit recomputes every constraint of the
SPEC and every cost component, CVaR and the objective, and reports each violation or
mismatch beyond ``1e-6 × scale + 1e-6 × |value|`` as a :class:`Finding`. It does not use
``models/``: it is a second, independent implementation (planner/plans/audit/), one module per
family:

- inputs: the Input copies validated like an input workbook (planner.validation)
- supply: offers, contracts, sanctions, availability, capacities, min orders
- domestic: builds (timing, module limits), production capacity, financing (each scenario's own
  where the plan lists builds and draws per scenario: Settings ``recourse_builds``)
- balance: stock balance and shortage; policies: every Policies column with precedence
- scenarios: the optional ``nonanticipative`` setting, and ``recourse_builds``: builds and draws
  equal to the reference scenario's before a scenario diverges, late contracts in their year
- costs: every cost component, scenario costs, CVaR, the objective
- reports: figures shown beside the decisions (landed costs, PV costs, KPIs)
- claims: what the Summary says of the solve (status, bound, gap, SHA-256), and what the
  audit cannot verify without the solver (:attr:`Audit.unverified`)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.plans.audit import balance, claims, costs, domestic, inputs, policies, reports, scenarios, supply
from planner.plans.audit.costs import Recomputation, cvar
from planner.plans.audit.data import AuditData, load
from planner.plans.audit.findings import Finding
from planner.plans.saved_plan import SavedPlan

__all__ = ["Audit", "Finding", "Recomputation", "audit_plan", "check_plan", "cvar", "recompute"]


@dataclass
class Audit:
    findings: list[Finding]
    #: None only when invalid inputs defeated the recomputation (then there are findings).
    recomputation: Recomputation | None
    #: What the plan claims that the audit could not verify, in words.
    unverified: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def audit_plan(saved: SavedPlan) -> Audit:
    """Every finding and the recomputed costs of `saved`.

    The Input copies are validated first; if they are not valid input, whatever the audit
    can still recompute is reported, and a failure to recompute becomes one more finding.
    """
    findings: list[Finding] = inputs.check_inputs(saved)
    for sheet in saved.missing_sheets:
        findings.append(Finding("plan record", sheet, "", f"sheet {sheet} missing: the plan's decisions there are "
                                "unknown (taken as none)"))
    findings += claims.check_claims(saved)
    unverified = claims.unverified(saved)
    if not findings:
        return _audit(saved, findings, unverified)
    try:
        return _audit(saved, findings, unverified)
    except Exception as exc:  # noqa: BLE001 - invalid inputs may defeat the recomputation
        findings.append(Finding("audit", "", "", f"the plan could not be recomputed from invalid inputs "
                                f"({type(exc).__name__}: {exc})"))
        return Audit(findings, None, unverified + ["the constraints and costs (the recomputation failed)"])


def _audit(saved: SavedPlan, findings: list[Finding], unverified: list[str]) -> Audit:
    data: AuditData = load(saved)
    findings = findings + list(data.findings)
    flows = balance.flows(data)
    findings += supply.check_supply(data)
    findings += domestic.check_builds(data)
    findings += domestic.check_production(data)
    findings += domestic.check_financing(data)
    findings += balance.check_balance(data, flows)
    findings += policies.check_policies(data, flows)
    findings += scenarios.check_nonanticipativity(data)
    findings += scenarios.check_recourse(data)
    recomputation = costs.recompute(data, flows)
    findings += costs.check_costs(data, recomputation)
    findings += reports.check_reports(data, flows, recomputation)
    return Audit(findings, recomputation, unverified)


def check_plan(saved: SavedPlan) -> list[Finding]:
    """Each violated constraint and mismatched figure of `saved` (empty: verified)."""
    return audit_plan(saved).findings


def recompute(saved: SavedPlan) -> Recomputation:
    """The plan's costs, scenario costs, CVaR and objective, recomputed from its decisions."""
    data = load(saved)
    return costs.recompute(data, balance.flows(data))
