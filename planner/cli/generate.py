"""`trust-planner generate`: write a synthetic planning instance as an input workbook.

``register(app)`` adds the command to the trust-planner Typer app (planner/cli/app.py). The
instance is :func:`planner.instances.generate.generate_dataset` (seeded, feasible by construction);
the workbook is the ordinary input template filled in, so `trust-planner validate` and
`trust-planner solve` read it like any planner's file. Sizes and their model dimensions
are listed in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from planner.cli.outputs import preflight, say_replaced
from planner.io.targets import Target

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class Size(str, Enum):
    small = "small"
    medium = "medium"
    large = "large"
    national = "national"


def register(app: typer.Typer) -> None:
    """Add `generate` to `app`."""
    app.command("generate")(generate)


def generate(
    size: Annotated[Size, typer.Option("--size", "-s", help="Instance size.")] = Size.small,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same workbook).")] = 0,
    output: Annotated[Path, typer.Option("-o", "--output", help="Input workbook to write.")] = Path(
        "generated.xlsx"),
) -> None:
    """Write a synthetic, feasible-by-construction planning instance as an input workbook."""
    from planner.instances.generate import SIZES, generate_dataset
    from planner.io.template import write_input_workbook

    replaced = preflight([Target(output, "-o")])
    tick = time.perf_counter()
    dataset = generate_dataset(size.value, seed)
    spec = SIZES[size.value]
    notes = [("generated", f"trust-planner generate --size {size.value} --seed {seed}"),
             ("size", f"{len(dataset['Materials'])} materials, {len(dataset['Suppliers'])} suppliers, "
                      f"{len(dataset['Offers'])} offers, {spec.years} years, {spec.scenarios} scenarios")]
    write_input_workbook(output, dataset.tables, dataset.settings, notes=notes)
    counts = ", ".join(f"{name} {len(t)}" for name, t in dataset.tables.items() if len(t))
    console.print(f"[green]{size.value} instance (seed {seed}) written to[/green] [bold]{escape(str(output))}[/bold] "
                  f"({counts}) in {time.perf_counter() - tick:.1f} s")
    say_replaced(console, replaced, output)
