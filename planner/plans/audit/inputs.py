"""The plan's Input copies, validated like an input workbook (planner.validation): a plan
whose inputs were edited into something the planner would refuse is reported, cell by cell,
before its decisions are recomputed against them."""

from __future__ import annotations

from planner.schema import manifest
from planner.plans.audit.findings import Finding
from planner.plans.saved_plan import INPUT_PREFIX, SavedPlan


def check_inputs(plan: SavedPlan) -> list[Finding]:
    from planner.schema.problems import InputError
    from planner.io.reading.sheets import RawSheet, RawWorkbook
    from planner.validation import validate

    sheets = {}
    for name, frame in plan.inputs.items():
        if name not in manifest.SHEETS_BY_NAME:
            continue
        wanted = {c.lower(): c for c in manifest.sheet(name).column_names}
        cols = [c for c in frame.columns if c != "excel_row"]
        columns = {wanted[str(c).strip().lower()]: i + 1 for i, c in enumerate(cols)
                   if str(c).strip().lower() in wanted}
        rows = [tuple(r) for r in frame[cols].itertuples(index=False, name=None)]
        sheets[name] = RawSheet(name=name, title=INPUT_PREFIX + name, columns=columns, rows=rows,
                                excel_rows=[int(r) for r in frame["excel_row"]])
    try:
        validate(RawWorkbook(sheets, []))
    except InputError as exc:
        return [_finding(p) for p in exc.problems]
    return []


def _finding(p) -> Finding:
    """A validation problem, with its cell named on the plan's Input copy."""
    sheet = p.sheet if not p.sheet or p.sheet.startswith(INPUT_PREFIX) else INPUT_PREFIX + p.sheet
    cell = p.cell
    if p.sheet and cell.startswith(p.sheet + "!"):
        cell = INPUT_PREFIX + cell
    where = cell + (f" [{p.column}]" if p.column else "")
    return Finding("input", sheet or "Input", where,
                   (f"found {p.value}, " if p.value != "" else "") + f"expected {p.expected}")
