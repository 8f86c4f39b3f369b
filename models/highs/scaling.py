r"""The units HiGHS works in: columns, rows and the objective scaled by powers of two.

A plan's numbers come in the workbook's units: tonnes or kilograms, dollars or thousands of
dollars. Left as they are, a model mixes coefficients of 8e8 (a financing limit on its use
binary) with ones, bounds of 2e5 with 1, and HiGHS warns that the problem is badly scaled;
worse, its MIP machinery (cuts, propagation, tolerances) works on the model as given and
closes much less of the gap at the root (bundled example: 71 % of the LP gap, 529 nodes to
1e-6; scaled as below 95-99 %, 3-5 nodes; benchmarks/RESULTS.md). So the session hands
HiGHS the model in other units and converts every number it reads back:

- a continuous column in a *unit* the model declares (``model.column_unit``, see
  :func:`models.build.column_units`): a quantity of a material in units of
  :math:`Q_i`, money in units of :math:`M` (:mod:`models.params.units` derives both from the
  data). Integer columns are never scaled (their values must stay whole);
- each row divided by the power of two nearest its largest coefficient on a continuous
  column (rows on integers only are left as they are), so a big-M or a capex on an integer
  column becomes a ratio to the row's own unit, but never so far that a coefficient falls
  below :data:`SMALLEST_COEFFICIENT`;
- the objective divided by a power of two that brings its largest coefficient near
  :data:`COST_TARGET`, unless that puts a cost below :data:`SMALLEST_COST` (then the largest
  may grow up to :data:`LARGEST_COST`).

The two floors matter only where one money value dwarfs the rest of the workbook (a
qualification cost of 1e14 against unit costs of 1); in every generated size, the example and
OR-Library the costs span less than 1e7 and the rows less than 1e5, and neither floor acts.

With :math:`x = c \odot x'` (column factors), rows :math:`a_i x / r_i` and objective
:math:`f / o`: :math:`a'_{ij} = a_{ij} c_j / r_i`, :math:`f'_j = f_j c_j / o`, bounds
:math:`/c_j` and :math:`/r_i`; back: values :math:`c_j x'_j`, row activities :math:`r_i a'_i x'`,
row duals :math:`o\, y'_i / r_i`, reduced costs :math:`o\, d'_j / c_j`, objective and bound
:math:`o` times HiGHS'. Powers of two make every conversion exact in floating point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.params.units import power_of_two

#: The objective is scaled so that its largest coefficient lies within a factor sqrt(2) of this.
COST_TARGET = 1024.0
#: ... unless that leaves a cost below this: ten times HiGHS' dual feasibility tolerance (1e-7),
#: under which a cost is no different from 0 to its simplex. A one-off cost of 1e14 (the manifest's
#: MAX_MONEY) against unit costs of 0.1 put them at 1e-12, and HiGHS ended in "Solve error".
SMALLEST_COST = 1e-6
#: ... but never lets the largest cost above this (HiGHS warns of excessively large costs above
#: 1e10); a cost range wider than LARGEST_COST / SMALLEST_COST (1e15, beyond what double
#: precision tells apart in one objective) keeps the largest costs right.
LARGEST_COST = 1e9
#: A row is never divided so far that a coefficient falls below this: HiGHS drops matrix values
#: below its small_matrix_value (1e-9) without a word, and the model it solves is then another
#: one (a shortage penalty of 1e9 in a row with costs of 8 gave a "optimal" plan 0.1 % below
#: the optimum, 1e10 one 10 % below).
SMALLEST_COEFFICIENT = 1e-6


def powers_of_two(values: np.ndarray) -> np.ndarray:
    """:func:`models.params.units.power_of_two` of each value (vectorised)."""
    out = np.ones(values.shape[0])
    ok = np.isfinite(values) & (values > 0)
    out[ok] = np.exp2(np.round(np.log2(values[ok])))
    return out


@dataclass(frozen=True)
class Scaling:
    """Column factors ``col`` (model value = col x HiGHS value), row divisors ``row``, objective divisor ``obj``."""

    col: np.ndarray
    row: np.ndarray
    obj: float

    @staticmethod
    def identity(n_col: int, n_row: int) -> "Scaling":
        return Scaling(np.ones(n_col), np.ones(n_row), 1.0)

    # ---- model -> HiGHS ------------------------------------------------------------------
    def col_bounds(self, idx, lower, upper) -> tuple[np.ndarray, np.ndarray]:
        c = self.col[idx]
        return np.asarray(lower, dtype=float) / c, np.asarray(upper, dtype=float) / c

    def col_values(self, values) -> np.ndarray:
        """Model values of the first len(values) columns -> HiGHS values (a start)."""
        values = np.asarray(values, dtype=float)
        return values / self.col[:values.shape[0]]

    def row_coefficients(self, r: int, idx, values) -> np.ndarray:
        return np.asarray(values, dtype=float) * self.col[np.asarray(idx, dtype=np.int64)] / self.row[r]

    def costs(self, cost) -> np.ndarray:
        return np.asarray(cost, dtype=float) * self.col / self.obj

    # ---- HiGHS -> model ------------------------------------------------------------------
    def primal(self, values) -> np.ndarray:
        return np.asarray(values, dtype=float) * self.col

    def row_activity(self, values) -> np.ndarray:
        return np.asarray(values, dtype=float) * self.row

    def row_duals(self, duals) -> np.ndarray:
        return np.asarray(duals, dtype=float) * (self.obj / self.row)

    def reduced_costs(self, duals) -> np.ndarray:
        return np.asarray(duals, dtype=float) * (self.obj / self.col)

    def objective(self, value: float | None) -> float | None:
        return None if value is None else value * self.obj

    # ---- growing the model ---------------------------------------------------------------
    def with_columns(self, factors) -> "Scaling":
        return Scaling(np.concatenate([self.col, np.asarray(factors, dtype=float)]), self.row, self.obj)

    def with_rows(self, divisors) -> "Scaling":
        return Scaling(self.col, np.concatenate([self.row, np.asarray(divisors, dtype=float)]), self.obj)


def column_factors(model, col_of: dict[int, int], n_col: int) -> np.ndarray:
    """Per column, the unit the model declares for it (``model.column_unit``: Var name ->
    function of the index giving the unit), 1 where it declares none."""
    col = np.ones(n_col)
    units = getattr(model, "column_unit", None) or {}
    for name, unit_of in units.items():
        var = model.component(name)
        if var is None:
            continue
        for index, v in var.items():
            j = col_of.get(id(v))
            if j is not None:
                col[j] = unit_of(index)
    return col


def unit_of(model, var) -> float:
    """The unit the model declares for one variable (1 where none)."""
    unit = (getattr(model, "column_unit", None) or {}).get(var.parent_component().local_name)
    return float(unit(var.index())) if unit is not None else 1.0


def row_divisors(start, index, value, col: np.ndarray, integrality: np.ndarray) -> np.ndarray:
    """Per row (CSR ``start``/``index``/``value``), the power of two nearest the largest |a_ij c_j|
    over its continuous columns, lowered so that no coefficient of the row falls below
    SMALLEST_COEFFICIENT; 1 for a row on integer columns only (or empty)."""
    n_row = start.shape[0] - 1
    scaled = np.abs(value) * col[index]
    nonzero = np.where(scaled > 0, scaled, np.inf)
    continuous = np.where(integrality[index] > 0, 0.0, scaled)
    biggest, smallest = np.zeros(n_row), np.full(n_row, np.inf)
    lengths = np.diff(start)
    filled = lengths > 0
    if filled.any():
        biggest[filled] = np.maximum.reduceat(continuous, start[:-1][filled])
        smallest[filled] = np.minimum.reduceat(nonzero, start[:-1][filled])
    divisor = powers_of_two(biggest)
    floor = powers_of_two(np.where(np.isfinite(smallest), smallest / SMALLEST_COEFFICIENT, 0.0))
    low = (biggest > 0) & np.isfinite(smallest) & (floor < divisor)
    divisor[low] = floor[low]
    return divisor


def objective_divisor(cost: np.ndarray, col: np.ndarray) -> float:
    """The power of two that brings the largest |cost x column factor| near COST_TARGET, lowered
    so that the smallest nonzero one stays at least SMALLEST_COST, and raised so that the largest
    stays at most LARGEST_COST (the latter wins: see LARGEST_COST). Costs of plans in one currency
    span less than 1e7 (bundled example 1.7e3..2.4e8, OR-Library capb 0.4..9e5): there the first
    rule alone decides."""
    scaled = np.abs(cost) * col
    scaled = scaled[scaled > 0]
    if not scaled.shape[0]:
        return 1.0
    top, bottom = float(scaled.max()), float(scaled.min())
    return power_of_two(max(min(top / COST_TARGET, bottom / SMALLEST_COST), top / LARGEST_COST))


def scale_model(compiled, model) -> Scaling:
    """Scale ``compiled`` (a :class:`models.highs.handoff.Compiled`) in place to HiGHS' units and
    return the :class:`Scaling` that converts back."""
    c = compiled
    col = column_factors(model, c.col_of, c.num_col)
    col[c.integrality > 0] = 1.0  # an integer column keeps its unit: its values stay whole
    row = row_divisors(c.start, c.index, c.value, col, c.integrality)
    scaling = Scaling(col, row, objective_divisor(c.cost, col))
    row_of = np.repeat(np.arange(c.num_row), np.diff(c.start))
    c.value = c.value * col[c.index] / row[row_of]
    c.cost = scaling.costs(c.cost)
    c.offset = c.offset / scaling.obj
    c.col_lower, c.col_upper = c.col_lower / col, c.col_upper / col
    c.row_lower, c.row_upper = c.row_lower / row, c.row_upper / row
    return scaling
