"""The pre-flight of every command that writes, and how it reports (planner.io.targets has the rules).

Each writing command calls :func:`preflight` with its inputs and output targets before it
reads anything: a refused target ends the command with exit 2 and a plain sentence, having
read, solved and written nothing. After writing, :func:`say_replaced` names the previous
files of ours that were replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import typer
from rich.console import Console
from rich.markup import escape

from planner.cli.shared import EXIT_BAD_INPUT
from planner.io.targets import Checked, Target, TargetError, check_targets

err = Console(stderr=True, highlight=False)


def preflight(targets: Iterable[Target], inputs: Iterable[Path | None] = ()) -> Checked:
    """Check every output target against the rules of planner.io.targets; exit 2 if one is refused.
    Returns which files of ours writing will replace (for :func:`say_replaced`)."""
    try:
        return check_targets(targets, inputs)
    except TargetError as exc:
        refuse(exc, "Nothing was read or written.")


def refuse(exc: TargetError, tail: str = "") -> None:
    """Print a refused target and exit 2."""
    err.print(f"[red]{escape(str(exc))}[/red] {tail}".rstrip())
    raise typer.Exit(EXIT_BAD_INPUT) from None


def say_replaced(console: Console, checked: Checked, *written: Path) -> None:
    """After writing: "(replaced the previous plan at PATH)" for each written path that replaced one."""
    for path in written:
        note = checked.note(path)
        if note:
            console.print(f"({escape(note)})")
