"""Small infeasible and priced datasets for the diagnosis tests, each argued by hand."""

from __future__ import annotations

from model_builders import country, dataset, demand, material, offer, supplier

YEARS = list(range(2025, 2030))


def country_cap(share: float = 0.6):
    """Demand 100 of M; A (country X) sells at 10, B (country Y) at 12; max_country_share ``share``.
    Optimum: 100*share from A, the rest from B: 1080 at 0.6."""
    return dataset(Countries=[country("IN"), country("X"), country("Y")],
                   Suppliers=[supplier("A", "X"), supplier("B", "Y")],
                   Offers=[offer("A", "M", 10), offer("B", "M", 12)], Demand=[demand("M", 2025, 100)],
                   Policies=[{"material": "M", "max_country_share": share, "excel_row": 2}])


def domestic_share(target: float = 0.30, max_modules: int = 1):
    """LI: demand 100 a year 2025-2029, imports from A at 10. One candidate refinery REF: modules of
    18 a year, at most ``max_modules``, producing two years after the build starts. The target
    min_domestic_share ``target`` applies in 2029 only (Policies row 7): with one module the most
    domestic production is 18, a share of 0.18 of demand."""
    return dataset({"years": 5}, Materials=[material("LI")], Countries=[country("IN"), country("X")],
                   Suppliers=[supplier("A", "X")], Offers=[offer("A", "LI", 10)],
                   Facilities=[{"facility": "REF", "kind": "refinery", "material": "LI", "module_capacity": 18,
                                "max_modules": max_modules, "build_years": 2, "capex_per_module": 100,
                                "unit_cost": 11, "excel_row": 3}],
                   Demand=[demand("LI", y, 100) for y in YEARS],
                   Policies=[{"material": "LI", "year": 2029, "min_domestic_share": target, "excel_row": 7},
                             # not in conflict: must not be named
                             {"material": "LI", "max_avg_risk": 0.04, "excel_row": 8}])


def service_level(capacity_a: float = 60, shortage: float = 0.0):
    """Demand 100 of M; A (X) sells at 10 up to ``capacity_a`` a year, B (Y) at 12 up to 20; the
    service level max_shortage_share ``shortage`` for every material. With 60 + 20 = 80 of
    capacity, unmet demand is at least 20, a share of 0.2."""
    return dataset(Countries=[country("IN"), country("X"), country("Y")],
                   Suppliers=[supplier("A", "X", capacity=capacity_a, excel_row=2),
                              supplier("B", "Y", capacity=20, excel_row=3)],
                   Offers=[offer("A", "M", 10), offer("B", "M", 12)], Demand=[demand("M", 2025, 100)],
                   Policies=[{"material": "*", "max_shortage_share": shortage, "excel_row": 2}])


def domestic_floor():
    """Demand 100 of M; imports from A at 10; an existing domestic module of 50 a year at 15 a unit;
    min_domestic_share 0.3: 30 x 15 + 70 x 10 = 1150. Raising the share by 1.0 moves 100 units
    from imports (10) to domestic production (15): +500, 5 per percentage point."""
    return dataset(Countries=[country("IN"), country("X")], Suppliers=[supplier("A", "X")],
                   Offers=[offer("A", "M", 10)],
                   Facilities=[{"facility": "F", "kind": "refinery", "material": "M", "module_capacity": 50,
                                "max_modules": 1, "existing_modules": 1, "unit_cost": 15}],
                   Demand=[demand("M", 2025, 100)],
                   Policies=[{"material": "M", "min_domestic_share": 0.3}])
