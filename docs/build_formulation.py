"""Assemble docs/formulation.md from the model modules' docstrings and symbol tables.

The math is written once, next to the code (each constraint family's module and rule
docstrings, in reStructuredText math), and each module's ``SYMBOLS`` lists
(symbol, meaning, template sheet.column). Run:

    python docs/build_formulation.py            # writes docs/formulation.md
    python docs/build_formulation.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FAMILIES = [
    ("Sets and indices", "models.families.sets"),
    ("Supply: contracts, qualification, capacities, minimum orders", "models.families.supply"),
    ("Domestic capacity: builds, production, recipes", "models.families.capacity"),
    ("Production-linked incentives", "models.families.incentives"),
    ("Financing", "models.families.financing"),
    ("Stock balance", "models.families.stock"),
    ("Policies", "models.families.policies"),
    ("Risk: CVaR", "models.families.risk"),
    ("Optional non-anticipativity", "models.families.nonanticipativity"),
    ("Optional recourse: builds, draws and contracts that adapt", "models.families.recourse"),
    ("Objective and cost components", "models.families.objective"),
    ("Trade-off measures (the frontier command only)", "models.families.measures"),
]
OUT = ROOT / "docs" / "formulation.md"


def to_markdown(doc: str) -> str:
    """reST math (``:math:`x` ``, ``.. math::`` blocks) to Markdown ($x$, $$ ... $$)."""
    doc = textwrap.dedent(doc).strip("\n")
    lines, out, i = doc.splitlines(), [], 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(\s*)\.\. math::\s*(.*)$", line)
        if m:
            body = [m.group(2)] if m.group(2) else []
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(m.group(1) + " ")):
                body.append(lines[i].strip())
                i += 1
            out += ["", "$$", " ".join(b for b in body if b), "$$", ""]
            continue
        out.append(line)
        i += 1
    text = "\n".join(out)
    text = re.sub(r":math:`([^`]*)`", r"$\1$", text)
    return re.sub(r":mod:`([^`]*)`", r"`\1`", text)


def family_section(title: str, module_name: str) -> str:
    mod = importlib.import_module(module_name)
    parts = [f"## {title}", f"*Source: `{module_name.replace('.', '/')}.py`*", "", to_markdown(mod.__doc__ or "")]
    rules = [(n, f) for n, f in inspect.getmembers(mod, inspect.isfunction)
             if f.__module__ == module_name and not n.startswith("_") and f.__doc__ and "math" in f.__doc__]
    rules.sort(key=lambda nf: inspect.getsourcelines(nf[1])[1])
    if rules:
        parts += ["", "| rule | meaning |", "| --- | --- |"]
        for name, func in rules:
            parts.append(f"| `{name}` | {' '.join(to_markdown(func.__doc__).split())} |")
    symbols = getattr(mod, "SYMBOLS", [])
    if symbols:
        parts += ["", "| symbol | meaning | template sheet.column |", "| --- | --- | --- |"]
        parts += [f"| ${s}$ | {meaning} | {source} |" for s, meaning, source in symbols]
    return "\n".join(parts)


def targets_section() -> str:
    """The policy registry (models/families/targets.py) as a table: each Policies column's rows."""
    from models.families.targets import TARGETS

    basis = {"supply": "total supply", "demand": "demand", "count": "a count"}
    parts = ["### Policy targets", "*Source: `models/families/targets.py` (the registry build, marginal values, "
             "diagnosis and re-solve read)*", "",
             "| Policies column | constraint | value relative to | tightening | rows where |", "| --- | --- | --- | --- | --- |"]
    parts += [f"| {t.column} | `{t.rule.__name__}` | {basis[t.basis]} | {'lower' if t.tightening_lowers else 'raise'} "
              f"| {t.binds} |" for t in TARGETS]
    return "\n".join(parts)


def _anchor(title: str) -> str:
    """The link target Markdown renderers give a heading."""
    return "#" + re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def columns_section() -> str:
    """Every template column with the symbols it enters and their sections, and the columns that
    enter no symbol (models/families/columns.py): from a cell to its math and back."""
    from models.families.columns import NOT_IN_THE_MATH, symbols_by_column
    from planner.schema import manifest

    title = dict((m, t) for t, m in FAMILIES)
    by_column = symbols_by_column()
    names = [f"Settings.{c.name}" for c in manifest.SETTINGS]
    names += [f"{sheet.name}.{c.name}" for sheet in manifest.SHEETS if sheet.name != "Settings" for c in sheet.columns]
    parts = ["## Template columns and their symbols",
             "Every column of the template (docs/template.md), with the symbols it enters and where they are "
             "defined; the columns that enter no symbol are listed after, with the reason.", "",
             "| template sheet.column | symbols |", "| --- | --- |"]
    for name in names:
        if name in by_column:
            shown = ", ".join(f"${s}$ ([{title[m].split(':')[0]}]({_anchor(title[m])}))" if s else
                              f"[{title[m].split(':')[0]}]({_anchor(title[m])})" for s, m in by_column[name])
            parts.append(f"| {name} | {shown} |")
    parts += ["", "### Columns that do not enter the math", "", "| template sheet.column | why |", "| --- | --- |"]
    parts += [f"| {name} | {why} |" for name, why in NOT_IN_THE_MATH.items()]
    return "\n".join(parts)


def build() -> str:
    head = ("# Model formulation\n\nGenerated by `docs/build_formulation.py` from the docstrings and "
            "symbol tables of the constraint families (`models/families/`); do not edit by hand "
            "(tests/models/test_formulation.py checks it is current). Sets and parameters are derived "
            "in `models/params/`; readings where the SPEC is silent are in `docs/decisions.md`. The last "
            "section lists every template column with the symbols it enters.\n")
    sections = [family_section(t, m) + ("\n\n" + targets_section() if m == "models.families.policies" else "")
                for t, m in FAMILIES]
    return head + "\n\n" + "\n\n".join(sections + [columns_section()]) + "\n"


def main() -> int:
    text = build()
    if "--check" in sys.argv:
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run python docs/build_formulation.py")
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
