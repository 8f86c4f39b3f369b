r"""Risk aversion: CVaR of scenario cost (Rockafellar–Uryasev).

Added only when cvar_weight > 0:

.. math::
    \mathrm{CVaR}_\alpha = \eta + \frac{1}{1 - \alpha} \sum_s p_s\, \xi_s, \qquad
    \xi_s \ge C_s - \eta, \quad \xi_s \ge 0

where :math:`C_s` is scenario s's total discounted cost (first stage plus its yearly costs).
At the optimum :math:`\eta` is the alpha-quantile (VaR) of scenario cost and the CVaR
is the expected cost in the worst (1 - alpha) tail.
"""

from __future__ import annotations

SYMBOLS = [
    (r"\eta", "value-at-risk of scenario cost (free variable)", "derived"),
    (r"\xi_s", "excess of scenario s's cost over eta (variable)", "derived"),
    (r"\alpha", "confidence level of CVaR", "Settings.cvar_alpha"),
    (r"\omega", "weight of CVaR in the objective", "Settings.cvar_weight"),
    (r"p_s", "scenario probability", "Scenarios.probability"),
    (r"C_s", "total discounted cost of scenario s", "derived"),
]


def excess_rule(m, s):
    r""":math:`\xi_s \ge C_s - \eta`."""
    return m.xi[s] >= m.scenario_cost[s] - m.eta


def cvar(m):
    r""":math:`\eta + \frac{1}{1-\alpha} \sum_s p_s \xi_s`."""
    return cvar_of(m.data, m.eta, m.xi)


def cvar_of(d, eta, xi):
    """The same of ``eta`` and ``xi`` (per scenario): the model's variables, or numbers."""
    return eta + sum(d.prob[s] * xi[s] for s in d.scenarios) / (1.0 - d.cvar_alpha)
