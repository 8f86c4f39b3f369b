"""OR-Library capacitated facility location instances (Beasley 1988) as trust-planner input.

The files (``tests/data/orlib``; see its README) are read as one whitespace-separated
token stream, so numbers wrapped across lines parse the same as numbers on one line:

    m n
    capacity_1 fixed_cost_1            (m times; capa/capb/capc hold the word "capacity")
    d_1 c_11 c_21 ... c_m1             (n times: demand, then the cost of serving the
    ...                                 customer's whole demand from each warehouse)

Mapping (README): warehouse i -> supplier ``W01``.. with ``Suppliers.capacity`` = its
capacity and ``qualification_cost`` = its fixed cost, all in one foreign country;
customer j -> material ``C001``.. with one year of demand d_j; each pair -> an offer with
``unit_cost`` = c_ij / d_j and no offer capacity; one scenario, discount rate 0, and
``Policies`` material ``*`` ``max_shortage_share`` 0. The model's objective then equals
the published optimum (``published_optimum``).

A customer with demand 0 (none in the distributed files) keeps its material, with no
demand and no offers: it costs nothing whatever it is offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from planner.schema.dataset import Dataset, Source, from_records

#: Where the OR-Library files live in the repository.
DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "orlib"

HOME_COUNTRY = "HOME"
WAREHOUSE_COUNTRY = "ORL"
FIRST_YEAR = 2026


@dataclass(frozen=True)
class OrlibInstance:
    """One capacitated facility location instance, as in the file."""

    name: str
    capacities: np.ndarray  # (m,) warehouse capacities
    fixed_costs: np.ndarray  # (m,) warehouse opening costs
    demands: np.ndarray  # (n,) customer demands
    costs: np.ndarray  # (m, n): cost of serving customer j's whole demand from warehouse i

    @property
    def m(self) -> int:
        return int(self.capacities.shape[0])

    @property
    def n(self) -> int:
        return int(self.demands.shape[0])


def resolve_path(path: str | Path) -> Path:
    """A file path, or an instance name such as ``cap41`` looked up in :data:`DATA_DIR`."""
    p = Path(path)
    if p.exists():
        return p
    candidate = DATA_DIR / (p.name if p.suffix == ".txt" else p.name + ".txt")
    if candidate.exists():
        return candidate
    raise FileNotFoundError(f"OR-Library instance not found: {path}")


def parse_orlib(path: str | Path, capacity: float | None = None) -> OrlibInstance:
    """Read an OR-Library ``cap*.txt`` file.

    ``capacity`` replaces the word ``capacity`` of capa/capb/capc (every warehouse gets
    it); it is required for those files and ignored for files with numeric capacities.
    """
    p = resolve_path(path)
    tokens = p.read_text().split()
    if len(tokens) < 2:
        raise ValueError(f"{p.name}: empty or truncated file")
    try:
        m, n = int(tokens[0]), int(tokens[1])
    except ValueError as exc:
        raise ValueError(f"{p.name}: first two tokens must be m and n, got {tokens[:2]}") from exc
    expected = 2 + 2 * m + n * (1 + m)
    if len(tokens) != expected:
        raise ValueError(f"{p.name}: expected {expected} numbers for m={m}, n={n}, found {len(tokens)}")

    head = tokens[2:2 + 2 * m]
    cap_tokens = head[0::2]
    symbolic = [t.lower() == "capacity" for t in cap_tokens]
    if any(symbolic):
        if capacity is None:
            raise ValueError(f"{p.name}: capacities are given as the word 'capacity'; pass capacity=...")
        caps = np.array([float(capacity) if s else float(t) for s, t in zip(symbolic, cap_tokens)])
    else:
        caps = np.array([float(t) for t in cap_tokens])
    fixed = np.array([float(t) for t in head[1::2]])

    body = np.array([float(t) for t in tokens[2 + 2 * m:]]).reshape(n, 1 + m)
    demands = body[:, 0].copy()
    costs = body[:, 1:].T.copy()  # (m, n)
    if (demands < 0).any() or (costs < 0).any() or (caps < 0).any() or (fixed < 0).any():
        raise ValueError(f"{p.name}: negative numbers in the instance")
    return OrlibInstance(p.stem, caps, fixed, demands, costs)


def supplier_id(i: int) -> str:
    """Supplier id of warehouse i (0-based)."""
    return f"W{i + 1:02d}"


def material_id(j: int) -> str:
    """Material id of customer j (0-based)."""
    return f"C{j + 1:03d}"


def orlib_dataset(path: str | Path, capacity: float | None = None,
                  settings: dict[str, Any] | None = None) -> Dataset:
    """The instance as a trust-planner Dataset whose optimum is the instance's optimum.

    ``settings`` overrides Settings keys (e.g. ``time_limit_s``); by default the MIP gap
    is 1e-6 so the solve reproduces the published optimum, not one within 0.1 %.
    """
    inst = parse_orlib(path, capacity)
    p = resolve_path(path)
    base_settings: dict[str, Any] = {
        "home_country": HOME_COUNTRY,
        "first_year": FIRST_YEAR,
        "years": 1,
        "discount_rate": 0.0,
        "currency": "USD",
        "mip_gap": 1e-6,
    }
    base_settings.update(settings or {})

    countries = [
        {"country": HOME_COUNTRY, "name": "Home (no warehouses)", "risk": 0.0, "allied": True},
        {"country": WAREHOUSE_COUNTRY, "name": "OR-Library warehouses", "risk": 0.0, "allied": True},
    ]
    suppliers = [
        {"supplier": supplier_id(i), "country": WAREHOUSE_COUNTRY, "capacity": float(inst.capacities[i]),
         "qualification_cost": float(inst.fixed_costs[i])}
        for i in range(inst.m)
    ]
    materials = [
        {"material": material_id(j), "name": f"Customer {j + 1}", "sector": "mineral", "unit": "unit"}
        for j in range(inst.n)
    ]
    demand = [
        {"material": material_id(j), "year": FIRST_YEAR, "quantity": float(inst.demands[j])}
        for j in range(inst.n) if inst.demands[j] > 0
    ]
    offers = []
    for j in range(inst.n):
        d = float(inst.demands[j])
        if d <= 0:
            continue
        for i in range(inst.m):
            offers.append({"supplier": supplier_id(i), "material": material_id(j),
                           "unit_cost": float(inst.costs[i, j]) / d})
    policies = [{"material": "*", "max_shortage_share": 0.0}]
    records = {
        "Materials": materials,
        "Demand": demand,
        "Countries": countries,
        "Suppliers": suppliers,
        "Offers": offers,
        "Policies": policies,
    }
    name = p.name if capacity is None else f"{p.name} (capacity {capacity:g})"
    return from_records(base_settings, records, Source(name=name))


_OPT_LINE = re.compile(r"^(?P<name>cap\w+)?\s+(?P<value>\d+(?:\.\d*)?)\s*(?:\(capacity\s+(?P<cap>\d+)\))?\s*$")


def published_optima(path: str | Path | None = None) -> dict[tuple[str, float | None], float]:
    """Every value of ``capopt.txt``, keyed by (instance name, capacity or None)."""
    p = Path(path) if path is not None else DATA_DIR / "capopt.txt"
    optima: dict[tuple[str, float | None], float] = {}
    current: str | None = None
    for line in p.read_text().splitlines():
        match = _OPT_LINE.match(line.rstrip())
        if not match:
            current = None if line.strip() else current
            continue
        name = match.group("name") or current
        if name is None:
            continue
        current = name
        cap = match.group("cap")
        optima[(name, float(cap) if cap else None)] = float(match.group("value"))
    return optima


def published_optimum(name: str, capacity: float | None = None, path: str | Path | None = None) -> float:
    """The published optimal value of an instance (``cap41``, or ``capb`` with a capacity)."""
    key_name = Path(str(name)).stem
    optima = published_optima(path)
    key = (key_name, float(capacity) if capacity is not None else None)
    if key not in optima:
        known = sorted({f"{n}" + (f" (capacity {c:g})" if c is not None else "") for n, c in optima})
        raise KeyError(f"no published optimum for {key_name}"
                       + (f" with capacity {capacity:g}" if capacity is not None else "")
                       + f"; known: {', '.join(known)}")
    return optima[key]
