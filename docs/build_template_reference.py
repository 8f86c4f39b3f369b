"""Write docs/template.md, the reference of the input template, from the manifest.

The text is planner.io.reference.render (it ships with the package: ``trust-planner
reference`` writes the same). Run:

    python docs/build_template_reference.py            # writes docs/template.md
    python docs/build_template_reference.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.io.reference import render  # noqa: E402

OUT = ROOT / "docs" / "template.md"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python docs/build_template_reference.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
