"""Control characters (issue 15, item 7): refused in uploaded text; the command line prints only escaped text."""
from __future__ import annotations

import json

import duckdb

from twomountains import cli
from twomountains.ingest import controls
from twomountains.tasks import __main__ as tasks_cli

HEADER = "period,value,indicator_code,region_code,unit,source,quality,note\n"
ESCAPE = "\x1b[2J\x1b]0;owned\x07"


def run(capsys, main, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_source_or_note_with_control_characters_is_refused(demo_db, capsys, tmp_path):
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(HEADER + f"2024,63.5,forest_cover,500156003,percent,Forestry{ESCAPE} bureau,reported,\n"
                       + "2023,62,forest_cover,500156003,percent,Forestry bureau,reported,\"fine\rFAKE\"\n"
                       + "2022,61,forest_cover,500156003,percent,Forestry bureau,reported,\"two\nlines\tok\"\n",
                       encoding="utf-8")
    code, out, err = run(capsys, cli.main, "ingest", str(hostile), "--db", str(demo_db), "--lang", "en")
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err and "\r" not in out + err
    code, out, _ = run(capsys, cli.main, "ingest", str(hostile), "--db", str(demo_db), "--json", "--dry-run")
    errors = [(e["code"], e["row"], e["column"]) for e in json.loads(out)["errors"]]
    assert errors == [("control_characters", 2, "F"), ("control_characters", 3, "H")]
    assert "\\u001b" in json.loads(out)["errors"][0]["message"]      # names the characters, escaped
    assert "\x1b" not in out
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations WHERE source LIKE '%' || chr(27) || '%'").fetchone()[0] == 0


def test_uploads_show_prints_stored_control_characters_escaped(demo_db, capsys, tmp_path):
    """Text stored before the check existed (or written by other means) is printed escaped."""
    clean = tmp_path / "clean.csv"
    clean.write_text(HEADER + "2024,63.5,forest_cover,500156003,percent,Forestry bureau,reported,note\n",
                     encoding="utf-8")
    assert run(capsys, cli.main, "ingest", str(clean), "--db", str(demo_db))[0] == 0
    with duckdb.connect(str(demo_db)) as con:
        con.execute("UPDATE observation_revisions SET new_note = ?, new_source = ?", [f"x{ESCAPE}y", "\u202eevil"])
        con.execute("UPDATE uploads SET file_name = ?", [f"clean{ESCAPE}.csv"])
    for argv in (["uploads"], ["uploads", "--show", "1"]):
        code, out, err = run(capsys, cli.main, *argv, "--db", str(demo_db))
        assert code == 0 and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "\\u001b" in out
    code, out, _ = run(capsys, cli.main, "uploads", "--show", "1", "--db", str(demo_db), "--json")
    assert "\x1b" not in out
    assert json.loads(out)[0]["new_note"] == f"x{ESCAPE}y"        # valid JSON: a tool gets the stored text


def test_task_report_file_and_form_refuse_control_characters(demo_db, capsys, tmp_path):
    from twomountains.access import database
    from twomountains.tasks import book as task_book, ingest, store
    db = database(demo_db)
    store.ensure_tables(db)
    book = task_book.load_database(db)
    entry = {"task": "t2_3", "unit": book.units[book.units.task_code == "t2_3"].unit_code.iloc[0], "month": "2024-06",
             "status": "in_progress", "percent_complete": "50", "done": f"done{ESCAPE}", "problems": "", "next_step": ""}
    check = ingest.check_form(entry, book, lambda keys: {}, ingest.today())
    assert [(e.code, e.column) for e in check.errors] == [("control_characters", "done")]
    report = tmp_path / "report.csv"
    template = ingest.template("en")
    template.iloc[0, list(template.columns).index(template.columns[-1])] = f"next{ESCAPE}"
    template.to_csv(report, index=False)
    code, out, err = run(capsys, tasks_cli.main, "ingest", str(report), "--db", str(demo_db), "--dry-run",
                         "--lang", "en")
    assert code == 1 and "\x1b" not in out + err
    assert "control characters" in out + err


def test_control_characters_found_and_named():
    assert controls.control_characters("a\x1b[1mb\x9bc\u202ed\r\ne\tf\ng") == ["\\u001b", "\\u009b", "\\u202e"]
    assert controls.column_letter(0) == "A" and controls.column_letter(27) == "AB"


def test_a_large_plain_file_read_by_arrow_is_checked_the_same_way(demo_db, tmp_path):
    """A long CSV of more than reading_arrow.MIN_LINES lines is cut into cells by Arrow; a control character,
    a second encoding or a guessed one in it sends it back to read_upload, which names each."""
    from twomountains.access import database
    from twomountains.ingest import pipeline, reading_arrow
    lines = [f"{1000 + i // 4}Q{i % 4 + 1},{i % 90},forest_cover,500156,percent,林业局,reported,\n"
             for i in range(reading_arrow.MIN_LINES + 10)]
    plain = (HEADER + "".join(lines)).encode("utf-8")
    assert reading_arrow.read(plain, "plain.csv") is not None            # the Arrow path takes a plain file
    hostile = (HEADER + "".join(lines[:500]) + f"2024Q1,1,forest_cover,500156,percent,x{ESCAPE},reported,\n"
               + "".join(lines[500:])).encode("utf-8")
    mixed = (HEADER + "".join(lines[:500])).encode("utf-8") + "2024Q1,1,forest_cover,500156,percent,Zürich,reported,\n".encode(
        "cp1252") + "".join(lines[500:]).encode("utf-8")
    for data in (hostile, mixed):
        assert reading_arrow.read(data, "big.csv") is None
    plan = pipeline.check(hostile, "big.csv", database(demo_db))
    assert [(e.code, e.row) for e in plan.errors if e.code == "control_characters"] == [("control_characters", 502)]
    plan = pipeline.check(mixed, "big.csv", database(demo_db))
    assert [e.code for e in plan.errors] == ["mixed_encoding"]
