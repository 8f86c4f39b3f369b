"""Checks across sheets: references, the planning horizon, probabilities, Settings ids."""

from __future__ import annotations

import difflib
from typing import Any

from planner.schema import manifest
from planner.schema.problems import invisible_characters, visible
from planner.validation.settings import Settings
from planner.validation.tables import Report, Typed

PROBABILITY_TOLERANCE = 1e-6
#: Scenario assumed when the Scenarios sheet is absent or has no rows.
DEFAULT_SCENARIO = "base"


def id_sets(typed: dict[str, Typed]) -> dict[str, set[str]]:
    """The ids each referenced sheet defines."""
    ids: dict[str, set[str]] = {}
    for sheet_name, id_col in manifest.ID_COLUMN.items():
        t = typed[sheet_name]
        ids[sheet_name] = {v for v in t.values[id_col] if v is not None}
    if not ids["Scenarios"]:
        ids["Scenarios"] = {DEFAULT_SCENARIO}
    return ids


def check_references(typed: dict[str, Typed], ids: dict[str, set[str]], report: Report) -> None:
    for t in typed.values():
        for col in t.sheet.columns:
            if not col.ref or col.ref not in ids:
                continue
            known = ids[col.ref]
            hints = _IdHints(known)
            for i, v in enumerate(t.values[col.name]):
                if v is None or v in known or (col.wildcard and v == "*") or not t.ok(col.name, i):
                    continue
                want = f"an id of the {col.ref} sheet" + (" or *" if col.wildcard else "")
                if not t.present or not known:
                    want += f" (the {col.ref} sheet has no ids)"
                else:
                    want += hints(v)
                report.add(t.sheet.name, t.where(col.name, i), col.name, v, want)
                t.mark(col.name, i)


#: Unknown ids given a "did you mean" hint per column (difflib over every known id is not free).
MAX_HINTS = 200


class _IdHints:
    """Why an unknown id may be a known one: case, an invisible character, or a near miss."""

    def __init__(self, known: set[str]) -> None:
        self.known = known
        self.folded: dict[str, str] | None = None
        self.given = 0

    def __call__(self, value: str) -> str:
        if self.folded is None:
            self.folded = {k.casefold(): k for k in self.known}
        hidden = invisible_characters(value)
        if hidden:
            seen = "".join(ch for ch in value if ch.isprintable() and visible(ch) == ch).strip()
            match = seen if seen in self.known else self.folded.get(seen.casefold())
            mean = f"; did you mean {match!r}?" if match else ""
            return f" (it holds the invisible character(s) {', '.join(hidden)}{mean})"
        same_case = self.folded.get(value.casefold())
        if same_case is not None:
            return f" (ids are case-sensitive: did you mean {same_case!r}?)"
        self.given += 1
        if self.given > MAX_HINTS:
            return ""
        close = difflib.get_close_matches(value, list(self.known), n=1, cutoff=0.75)
        return f" (did you mean {close[0]!r}?)" if close else ""


def check_horizon(typed: dict[str, Typed], settings: Settings, report: Report) -> None:
    horizon = settings.horizon
    if horizon is None:
        return
    first, last = horizon
    for t in typed.values():
        for col in t.sheet.columns:
            if not col.in_horizon:
                continue
            for i, y in enumerate(t.values[col.name]):
                if y is None or first <= y <= last or not t.ok(col.name, i):
                    continue
                report.add(t.sheet.name, t.where(col.name, i), col.name, int(y),
                           f"a year of the planning horizon {first}..{last} (Settings first_year, years)")
                t.mark(col.name, i)


def check_disruption_years(t: Typed, settings: Settings, report: Report) -> None:
    first = settings.values.get("first_year")
    for i, (a, b) in enumerate(zip(t.values["from_year"], t.values["to_year"])):
        start = a if a is not None else first
        if start is None or b is None or not (t.ok("from_year", i) and t.ok("to_year", i)):
            continue
        if b < start:
            report.add(t.sheet.name, t.where("to_year", i), "to_year", int(b),
                       f"a year not before from_year ({int(start)})")
            t.mark("to_year", i)


def check_probabilities(t: Typed, report: Report) -> None:
    probs = t.values["probability"]
    if not len(t) or any(p is None for p in probs) or t.bad.get("probability"):
        return
    total = sum(probs)
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        col = t.positions["probability"]
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(col)
        cell = f"Scenarios!{letter}{min(t.excel_rows)}:{letter}{max(t.excel_rows)}"
        report.add("Scenarios", cell, "probability", f"sum {total:.9g}",
                   f"probabilities that sum to 1 (within {PROBABILITY_TOLERANCE:g})")


def check_settings_refs(settings: Settings, ids: dict[str, set[str]], typed: dict[str, Typed],
                        report: Report) -> None:
    for col in manifest.SETTINGS:
        value: Any = settings.values.get(col.name)
        if not col.ref or value is None or col.name in settings.bad:
            continue
        known = ids.get(col.ref, set())
        if value not in known:
            hint = _IdHints(known)(value) if known else ""
            report.add("Settings", settings.where(col.name), col.name, value,
                       (f"a country of the {col.ref} sheet ({col.description.rstrip('.')})"
                        if col.ref == "Countries" else f"an id of the {col.ref} sheet") + hint)


def check_not_empty(typed: dict[str, Typed], report: Report) -> None:
    t = typed["Materials"]
    if t.present and not len(t):
        report.add("Materials", "Materials!2:2", "material", "(no rows)", "at least one material")


def check_policy_rows(t: Typed, report: Report) -> None:
    targets = manifest.policy_columns()
    for i in range(len(t)):
        if all(t.values[c][i] is None and t.ok(c, i) for c in targets):
            report.add("Policies", f"Policies!{t.excel_rows[i]}:{t.excel_rows[i]}", "", "(no target)",
                       "at least one target column (" + ", ".join(targets) + "); the row is ignored",
                       "warning")
