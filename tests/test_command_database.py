"""Every command line names a missing database the same way (twomountains.command_database): exit code 2, the
file named, nothing made."""
from __future__ import annotations

import pytest

from twomountains import cli
from twomountains.tasks.__main__ import main as tasks_main


@pytest.mark.parametrize("argv", [["status"], ["deck", "--out", "{tmp}/d.pptx"], ["summary", "--out", "{tmp}/s.pdf"]])
def test_the_main_command_line_says_the_database_is_missing(argv, tmp_path, capsys):
    missing = tmp_path / "nowhere.duckdb"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:
        code = cli.main([*argv, "--db", str(missing), "--lang", "en"])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    assert f"The database file does not exist: {missing}" in capsys.readouterr().err
    assert not missing.exists() and not list(tmp_path.glob("*.pptx")) and not list(tmp_path.glob("*.pdf"))


@pytest.mark.parametrize("argv", [["uploads"], ["rollback", "1"]])
def test_the_task_command_line_says_the_database_is_missing(argv, tmp_path, capsys):
    missing = tmp_path / "nowhere.duckdb"
    assert tasks_main([*argv, "--db", str(missing), "--lang", "en"]) == 2
    assert f"The database file does not exist: {missing}" in capsys.readouterr().err
    assert not missing.exists()
