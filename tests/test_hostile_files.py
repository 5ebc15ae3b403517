"""Hostile upload files (issue 15): every reader stops at its limits while reading, mixed encodings are
refused, guessed ones are a warning. The files are generated here, small on disk (a sparse file, zip
entries that compress well); memory is measured with tracemalloc in a subprocess, not by wall clock."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from twomountains import cli
from twomountains.ingest import problems as p
from twomountains.ingest.reading import MAX_COLUMNS, MAX_LINE_CHARS

ROOT = Path(__file__).resolve().parents[1]
GOOD_ROW = "2024,63.5,forest_cover,500156003,percent,Forestry bureau,reported,{note}\n"
HEADER = "period,value,indicator_code,region_code,unit,source,quality,note\n"


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def workbook_with_sheet(sheet_xml_chunks) -> bytes:
    """A real .xlsx whose first sheet's XML is replaced by the given chunks (streamed into the zip)."""
    book = Workbook()
    book.active["A1"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w") as sheet:
                    for chunk in sheet_xml_chunks:
                        sheet.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def row_bomb(rows: int):
    """A million-small-rows sheet that also claims the largest dimensions Excel has (each row padded to
    16,384 cells by a reader that believes it)."""
    yield (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>')
    batch = []
    for number in range(1, rows + 1):
        batch.append(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (number, number))
        if len(batch) == 10_000:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch) + b"</sheetData></worksheet>"


MEASURE = """
import json, sys, tracemalloc
import charset_normalizer, openpyxl   # imported before measuring: only the reading counts
from twomountains.ingest.reading import UnreadableFile, read_upload
data = open(sys.argv[1], "rb").read()
tracemalloc.start()
try:
    read_upload(data, sys.argv[1])
    code = None
except UnreadableFile as unreadable:
    code = unreadable.problem.code
print(json.dumps({"code": code, "peak_mb": tracemalloc.get_traced_memory()[1] / 1e6}))
"""


def measure_reading(path: Path, **env) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_workbook_row_bomb_stops_at_the_row_limit_while_streaming(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(workbook_with_sheet(row_bomb(150_000)))
    assert bomb.stat().st_size < 1_000_000
    result = measure_reading(bomb, TWOMOUNTAINS_UPLOAD_MAX_ROWS="1000")
    assert result["code"] == "too_many_rows"
    # Reading the whole sheet (openpyxl's normal mode) holds every cell: ~150 MB for these rows.
    assert result["peak_mb"] < 25, result


def test_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened(tmp_path):
    padding = (b" " * 1_000_000 for _ in range(6))   # 6 MB of XML whitespace, ~6 KB compressed
    chunks = iter([b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                   b'spreadsheetml/2006/main"><sheetData>', *padding, b"</sheetData></worksheet>"])
    bomb = tmp_path / "unpacks.xlsx"
    bomb.write_bytes(workbook_with_sheet(chunks))
    assert bomb.stat().st_size < 100_000
    result = measure_reading(bomb, TWOMOUNTAINS_UPLOAD_MAX_MB="1")     # unpacked limit: 5 MB
    assert result["code"] == "too_large_unpacked"
    assert result["peak_mb"] < 5, result


def test_xlsx_still_reads_as_before(tmp_path):
    """Streaming changes nothing for a normal workbook: numbers, dates and the other sheets' warning."""
    from twomountains.ingest.reading import read_upload
    book = Workbook()
    sheet = book.active
    sheet.append(["period", "value", "indicator_code"])
    sheet.append([2024, 63.5, "forest_cover"])
    sheet.append([2023, 60.0, None])
    book.create_sheet("notes")["B3"] = "note"
    data = io.BytesIO()
    book.save(data)
    read = read_upload(data.getvalue(), "x.xlsx")
    assert read.rows == [(1, ["period", "value", "indicator_code"]), (2, ["2024", "63.5", "forest_cover"]),
                         (3, ["2023", "60", ""])]
    assert [n.code for n in read.notes] == ["other_sheets_ignored"]


def test_csv_with_too_many_columns_is_refused_with_a_short_message(demo_db, capsys, tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(HEADER + ",".join(["1"] * (MAX_COLUMNS + 1)) + "\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "ingest", str(wide), "--db", str(demo_db), "--json", "--dry-run")
    assert code == 2
    assert [(e["code"], e["row"]) for e in json.loads(out)["errors"]] == [("too_many_columns", 2)]
    assert len(out) < 2000


def test_csv_single_long_line_is_refused_before_layout_detection(demo_db, capsys, tmp_path):
    """A one-line CSV of 300,000 columns: refused for its length, in a message of a few hundred bytes
    (the layout detection once spent minutes on such a line and printed megabytes of JSON)."""
    line = tmp_path / "line.csv"
    line.write_text("a," * 300_000 + "\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "ingest", str(line), "--db", str(demo_db), "--json", "--dry-run")
    assert code == 2
    assert [(e["code"], e["row"]) for e in json.loads(out)["errors"]] == [("line_too_long", 1)]
    assert str(MAX_LINE_CHARS) in json.loads(out)["errors"][0]["message"].replace(",", "")
    assert len(out) < 2000


CLI_MEASURE = """
import sys, tracemalloc
from twomountains import cli
tracemalloc.start()
code = cli.main(["ingest", sys.argv[1], "--db", sys.argv[2], "--json", "--dry-run", "--lang", "en"])
print("PEAK", tracemalloc.get_traced_memory()[1] / 1e6, "CODE", code)
"""


def test_command_line_checks_the_size_before_reading(demo_db, tmp_path):
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as out:          # sparse: 60 MB by its size, nothing on disk
        out.truncate(60 * 1024 * 1024)
    done = subprocess.run([sys.executable, "-c", CLI_MEASURE, str(huge), str(demo_db)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "TWOMOUNTAINS_UPLOAD_MAX_MB": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.split("PEAK")[0])
    peak, code = done.stdout.split("PEAK")[1].split("CODE")
    assert int(code) == 2 and [e["code"] for e in report["errors"]] == ["too_large"]
    assert "60 MB" in report["errors"][0]["message"]
    assert float(peak) < 10, peak          # reading the file first took 60 MB


def test_one_gbk_row_in_a_utf8_file_is_refused_naming_the_row(demo_db, capsys, tmp_path):
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(HEADER.encode() + GOOD_ROW.format(note="林业局 上报").encode("utf-8")
                      + GOOD_ROW.format(note="仙女山镇").encode("gbk")
                      + GOOD_ROW.replace("2024", "2023").format(note="武隆区").encode("utf-8"))
    code, out, _ = run_cli(capsys, "ingest", str(mixed), "--db", str(demo_db), "--json", "--lang", "en")
    assert code == 2
    [error] = json.loads(out)["errors"]
    assert error["code"] == "mixed_encoding" and error["row"] == 3
    assert "rows 3 are not" in error["message"]
    zh = p.message(p.error("mixed_encoding", rows="3", count=1), "zh")
    assert "第 3 行" in zh


def test_a_latin1_file_is_read_as_western_european_with_a_warning_before_commit(demo_db, capsys, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + GOOD_ROW.format(note="relevé café à Paris")).encode("latin-1"))
    code, out, _ = run_cli(capsys, "ingest", str(latin), "--db", str(demo_db), "--json", "--dry-run",
                           "--lang", "en")
    report = json.loads(out)
    assert code == 0 and report["encoding"] == "cp1252"
    [warned] = [w for w in report["warnings"] if w["code"] == "guessed_encoding"]
    assert "guessed as cp1252" in warned["message"]
    assert "推测" in p.message(p.warning("guessed_encoding", encoding="cp1252"), "zh")
    code, out, _ = run_cli(capsys, "ingest", str(latin), "--db", str(demo_db), "--lang", "en")
    from twomountains.ingest import history
    from twomountains.access import database
    assert code == 0
    changed = history.revisions(database(demo_db), int(history.uploads(database(demo_db)).id.max()))
    assert "relevé café à Paris" in changed.new_note.tolist()


def test_reports_name_long_cells_and_header_lists_briefly(demo_db, capsys, tmp_path):
    """400 unknown headers of 200 characters, a 50,000-character cell: the report stays a few kilobytes."""
    headers = tmp_path / "headers.csv"
    headers.write_text(",".join(f"{i}" + "h" * 199 for i in range(400)) + "\n" + "1," * 399 + "1\n",
                       encoding="utf-8")
    code, out, _ = run_cli(capsys, "ingest", str(headers), "--db", str(demo_db), "--json", "--dry-run")
    assert code == 1 and len(out) < 5000, len(out)
    cell = tmp_path / "cell.csv"
    cell.write_text(HEADER + GOOD_ROW.replace("63.5", "x" * 50_000).format(note=""), encoding="utf-8")
    code, out, _ = run_cli(capsys, "ingest", str(cell), "--db", str(demo_db), "--json", "--dry-run")
    assert code == 1 and len(out) < 5000, len(out)
