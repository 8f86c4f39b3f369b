"""`trust-planner generate` (planner.cli.generate): the workbook reads back as the generated Dataset."""

from __future__ import annotations

import pandas as pd
import typer
from typer.testing import CliRunner

from planner.cli import generate as commands_generate
from planner.instances.generate import generate_dataset
from planner.io.reading import read_input


def _app() -> typer.Typer:
    app = typer.Typer()
    commands_generate.register(app)

    @app.command("noop")  # a second command keeps `generate` a subcommand
    def _noop() -> None:
        pass

    return app


def test_generate_writes_a_valid_input_workbook_equal_to_the_dataset(tmp_path):
    path = tmp_path / "small.xlsx"
    result = CliRunner().invoke(_app(), ["generate", "--size", "small", "--seed", "3", "-o", str(path)])
    assert result.exit_code == 0, result.output
    read, warnings = read_input(path)
    expected = generate_dataset("small", 3)
    assert not warnings
    for sheet, table in expected.tables.items():
        pd.testing.assert_frame_equal(read[sheet].drop(columns="excel_row").reset_index(drop=True),
                                      table.drop(columns="excel_row").reset_index(drop=True), check_dtype=False)
    assert {k: v for k, v in read.settings.items()} == {k: v for k, v in expected.settings.items()}


def test_generate_rejects_an_unknown_size(tmp_path):
    result = CliRunner().invoke(_app(), ["generate", "--size", "huge", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert not (tmp_path / "x.xlsx").exists()
