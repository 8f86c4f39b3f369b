"""Refresh the README's pictures of a plan: the HTML report in a browser and the plan's Summary
exported to PDF by LibreOffice (a script, not a test; needs chromium, soffice and pdftoppm).

    python docs/build_screenshots.py        # writes docs/report.png and docs/summary-pdf.png

Solves the bundled example into a temporary folder, writes its report, takes a screenshot of
the report's first screen with headless Chromium, and prints the plan's Summary sheet to PDF
with LibreOffice (the print setup the plan carries: one landscape page) and renders that page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def main() -> int:
    tool = Path(sys.executable).with_name("trust-planner")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None or shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        print("needs chromium, soffice (libreoffice-calc) and pdftoppm (poppler-utils)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([str(tool), "solve", "--quiet", "--report", "-o", "example-plan.xlsx"], cwd=folder, check=True,
                       capture_output=True)
        subprocess.run([browser, *CHROMIUM, f"--user-data-dir={folder / 'profile'}", "--window-size=1100,1500",
                        f"--screenshot={DOCS / 'report.png'}", (folder / "example-plan.html").as_uri()],
                       check=True, capture_output=True)
        summary_only = _summary_workbook(folder / "example-plan.xlsx", folder / "summary.xlsx")
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(summary_only)],
                       check=True, capture_output=True)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        str(folder / "summary.pdf"), str(DOCS / "summary-pdf")], check=True)
    print(f"wrote {DOCS / 'report.png'} and {DOCS / 'summary-pdf.png'}")
    return 0


def _summary_workbook(plan: Path, out: Path) -> Path:
    """The plan with its Summary as the only sheet, so the PDF holds just that page."""
    from openpyxl import load_workbook

    wb = load_workbook(plan)
    for name in wb.sheetnames:
        if name != "Summary":
            del wb[name]
    wb.save(out)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
