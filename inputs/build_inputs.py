"""Write the bundled input workbooks from their Python sources.

    python inputs/build_inputs.py            # writes planner/data/example.xlsx and template.xlsx
    python inputs/build_inputs.py OUT_DIR    # writes them into OUT_DIR instead

The workbooks ship inside the package (planner/data, package data in pyproject.toml), so an
installed trust-planner finds its example and template wherever it runs; this folder keeps
the code they come from.

- ``example.xlsx``: the documented example of :mod:`inputs.example_data` (the default
  input of ``trust-planner solve``), with a Notes sheet.
- ``template.xlsx``: the blank template (headers, notes, dropdowns; Settings keys with
  their defaults).

Both go through :func:`planner.io.template.write_input_workbook`, which writes
deterministic bytes, so re-running this script on unchanged data gives unchanged
files; tests/io/test_example.py checks that the committed example still matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Where the bundled workbooks live: package data of planner.
DATA = ROOT / "planner" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from inputs.example_data import example_notes, example_records, example_settings  # noqa: E402
from planner.schema import manifest  # noqa: E402
from planner.io.template import write_input_workbook  # noqa: E402

EXAMPLE_NAME = "example.xlsx"
TEMPLATE_NAME = "template.xlsx"


def example_tables() -> dict[str, pd.DataFrame]:
    """The example's records as DataFrames with the manifest's columns, in manifest order.

    Cells left out of a record stay blank (the reader applies the default), so the
    workbook shows what the planner typed, not the defaults.
    """
    records = example_records()
    tables: dict[str, pd.DataFrame] = {}
    for sheet in manifest.SHEETS:
        if sheet.name == "Settings" or sheet.name not in records:
            continue
        rows = records[sheet.name]
        unknown = {key for row in rows for key in row} - set(sheet.column_names)
        if unknown:
            raise ValueError(f"{sheet.name}: columns not in the manifest: {sorted(unknown)}")
        tables[sheet.name] = pd.DataFrame(
            [[row.get(c) for c in sheet.column_names] for row in rows],
            columns=list(sheet.column_names), dtype=object)
    return tables


def build_example(path: Path) -> Path:
    return write_input_workbook(path, example_tables(), example_settings(), example_notes())


def build_template(path: Path) -> Path:
    return write_input_workbook(path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out_dir = Path(argv[0]) if argv else DATA
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in (build_example(out_dir / EXAMPLE_NAME), build_template(out_dir / TEMPLATE_NAME)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
