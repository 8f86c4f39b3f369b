"""Validating a 100,000-row Offers sheet (issue 12 item 5: no slower with pydantic at the boundary).

The bundled example is read once (raw cells, no validation); its Offers sheet is replaced by
``--rows`` rows cycling over its own suppliers and materials, with the cells as openpyxl gives
them (numbers, text, booleans, blanks; every tenth cost written as text, every seventh capacity
blank). Timed: ``planner.validation.validate`` on that raw workbook (types, ranges, defaults,
references, every cross-sheet check, the Dataset built), median of ``--repeat`` runs, CPU and wall
seconds; beside it, the same rows validated one by one with the pydantic row model of the
manifest (planner.schema.records, ``model_validate`` per row), the alternative the decision in
docs/decisions.md weighs.

    python benchmarks/validate_rows.py [--rows 100000] [--repeat 5] [--rowwise]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.io.reading import read_raw  # noqa: E402
from planner.io.reading.sheets import RawSheet  # noqa: E402
from planner.schema import manifest  # noqa: E402
from planner.validation import validate  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "planner" / "data" / "example.xlsx"


def workbook(rows: int):
    """The example's raw workbook with ``rows`` Offers rows: its own (supplier, material) pairs
    repeated, each repeat with copies of its suppliers (``S~2``) so the key stays unique."""
    raw = read_raw(EXAMPLE.read_bytes(), EXAMPLE.name).raw
    offers, suppliers = raw.sheets["Offers"], raw.sheets["Suppliers"]
    oc, sc = offers.columns, suppliers.columns
    pairs = [(r[oc["supplier"] - 1], r[oc["material"] - 1]) for r in offers.rows]
    supplier_row = {r[sc["supplier"] - 1]: r for r in suppliers.rows}
    out, extra, added = [], [], set()
    for i in range(rows):
        copy, k = divmod(i, len(pairs))
        supplier, material = pairs[k]
        if copy:
            supplier = f"{supplier}~{copy}"
            if supplier not in added:
                added.add(supplier)
                s = list(supplier_row[pairs[k][0]])
                s[sc["supplier"] - 1] = supplier
                extra.append(tuple(s))
        row = [None] * len(offers.rows[0])
        cost = 100.0 + i % 997
        for name, value in (("supplier", supplier), ("material", material),
                            ("unit_cost", str(cost) if i % 10 == 0 else cost),
                            ("capacity", None if i % 7 == 0 else float(1000 + i % 500)), ("freight_cost", 3.5),
                            ("carbon_intensity", 0.2 if i % 2 else None), ("must_contract", False)):
            if name in oc:
                row[oc[name] - 1] = value
        out.append(tuple(row))
    first = suppliers.excel_rows[-1] + 1
    raw.sheets["Offers"] = RawSheet("Offers", offers.title, oc, out, list(range(2, rows + 2)))
    raw.sheets["Suppliers"] = RawSheet("Suppliers", suppliers.title, sc, suppliers.rows + extra,
                                       suppliers.excel_rows + list(range(first, first + len(extra))))
    return raw


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median CPU and wall seconds of ``fn()`` over ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rowwise", action="store_true", help="also pydantic model_validate row by row")
    args = ap.parse_args()
    raw = workbook(args.rows)
    dataset, warnings = validate(raw)
    assert len(dataset["Offers"]) == args.rows, len(dataset["Offers"])
    print(f"load {os.getloadavg()[0]:.1f}; {args.rows:,} Offers rows, {len(dataset['Suppliers']):,} suppliers")
    cpu, wall = timed(lambda: validate(raw), args.repeat)
    print(f"validate: {cpu:.3f} s CPU, {wall:.3f} s wall (median of {args.repeat})")
    if args.rowwise:
        from planner.schema.records import row_model
        from planner.validation.tables import type_sheet, Report

        model = row_model("Offers")
        typed = type_sheet(raw.sheets["Offers"], manifest.sheet("Offers"), Report())
        names = [c.name for c in manifest.sheet("Offers").columns]
        records = [{k: v for k, v in zip(names, values) if v is not None}
                   for values in zip(*(typed.values[k] for k in names))]
        cpu, wall = timed(lambda: [model.model_validate(r) for r in records], args.repeat)
        print(f"pydantic row by row (typed cells -> model_validate, no cross checks): {cpu:.3f} s CPU, "
              f"{wall:.3f} s wall")


if __name__ == "__main__":
    main()
