"""The corpus of real-looking upload files: each gives exactly the outcome manifest.yaml says.

Every file goes through the command line (in-process, same code path as `python -m twomountains
ingest`) on a fresh copy of the demo database: exit code, the JSON object, the values written; a
rejected or unreadable file leaves the database's content the same (the exports are compared).
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml

from twomountains import cli
from twomountains.ingest import pipeline
from twomountains.ingest.reading import MAX_BYTES

CORPUS = Path(__file__).parent / "fixtures" / "uploads"
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["files"]
JSON_KEYS = {"file", "encoding", "layout", "rows", "inserted", "updated", "unchanged", "warnings", "errors",
             "upload_id"}


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def export(db: Path, tmp_path: Path, name: str) -> bytes:
    out = tmp_path / f"{name}.csv"
    assert cli.main(["export", "observations", "--db", str(db), "--out", str(out)]) == 0
    catalog = tmp_path / f"{name}-catalog.csv"
    assert cli.main(["export", "catalog", "--db", str(db), "--out", str(catalog)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:   # the map's points (a points file replaces them)
        points = con.execute("SELECT * FROM rural_tourism_points ORDER BY id").df().to_csv(index=False).encode()
    return out.read_bytes() + b"\n---\n" + catalog.read_bytes() + b"\n---\n" + points


def upload_rows(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        return con.execute("SELECT count(*) FROM uploads").fetchall()[0][0] if "uploads" in tables else 0


def stored_value(db: Path, key: str) -> float | None:
    indicator, region, period = key.split("/")
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT value FROM observations WHERE indicator_code = ? AND region_code = ? AND period = ?",
                           [indicator, region, period]).fetchall()
    return rows[0][0] if rows else None


def test_manifest_covers_the_corpus():
    files = {p.name for p in CORPUS.iterdir() if p.suffix not in (".py", ".yaml")}
    assert files == set(MANIFEST), files ^ set(MANIFEST)


def test_corpus_has_every_kind_the_issue_names():
    """GBK with Chinese headers, BOM + CRLF, full-width digits, wide, .xlsx, old townships, cumulative."""
    gbk = (CORPUS / "good_gbk_chinese_headers.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert "指标名称".encode("gbk") in gbk and b"\r\n" in gbk
    bom = (CORPUS / "good_bom_crlf.csv").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf") and b"\r\n" in bom
    assert "２０２５".encode() in (CORPUS / "good_fullwidth_digits.csv").read_bytes()
    assert any(m["layout"] == "wide" for m in MANIFEST.values())
    assert any(name.endswith(".xlsx") and m["exit"] == 0 for name, m in MANIFEST.items())
    assert "仙女山镇" in (CORPUS / "good_old_townships.csv").read_text(encoding="utf-8")
    assert "旅游综合收入" in (CORPUS / "good_cumulative_column.csv").read_text(encoding="utf-8")
    points = (CORPUS / "good_points_gbk_chinese.csv").read_bytes()   # the map's points: GBK, Chinese headers
    assert "纬度".encode("gbk") in points and b"\r\n" in points
    assert {m.get("layout") for m in MANIFEST.values()} >= {"long", "wide", "catalog", "rural_tourism_points"}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_corpus_file(name, demo_db, tmp_path, capsys):
    expected = MANIFEST[name]
    before = export(demo_db, tmp_path, "before")
    argv = ["ingest", str(CORPUS / name), "--db", str(demo_db), "--json", "--user", "tester"]
    if expected.get("options", {}).get("cumulative"):
        argv.append("--cumulative")
    code, out, err = run_cli(capsys, *argv)
    assert "Traceback" not in out + err
    report = json.loads(out)
    assert JSON_KEYS <= set(report)
    assert code == expected["exit"], (report["errors"], err)
    assert report["layout"] == expected.get("layout")
    if "encoding" in expected:
        assert report["encoding"] == expected["encoding"]
    if "kind" in expected:
        assert report["kind"] == expected["kind"]

    errors = [(e["code"], e["row"], e["column"]) for e in report["errors"]]
    assert sorted(errors, key=str) == sorted((tuple(e) for e in expected["errors"]), key=str)
    for e in report["errors"] + report["warnings"]:
        assert e["message"] and "{" not in e["message"]
    warnings = {(w["code"], w["row"], w["column"]) for w in report["warnings"]}
    required = {tuple(w) for w in expected.get("warnings", [])}
    assert required <= warnings
    allowed = {w[0] for w in required} | set(expected.get("allow", []))
    assert {w[0] for w in warnings} <= allowed, warnings

    after = export(demo_db, tmp_path, "after")
    if expected["exit"] != 0:
        assert report["upload_id"] is None
        assert report["inserted"] == report["updated"] == report["unchanged"] == 0
        if expected["exit"] == 2:
            assert report["rows"] == 0
        assert after == before, "a rejected file changed the database"
        assert upload_rows(demo_db) == 0
        return
    counts = {k: report[k] for k in ("inserted", "updated", "unchanged")}
    assert counts == expected["counts"]
    assert report["rows"] == sum(counts.values())
    assert report["removed"] == expected.get("removed", 0)
    assert report["upload_id"] == 1
    assert after != before
    assert upload_rows(demo_db) == 1
    for key, value in expected.get("values", {}).items():
        assert stored_value(demo_db, key) == pytest.approx(value)

    # Re-uploading the same file changes nothing.
    code, out, _ = run_cli(capsys, *argv)
    again = json.loads(out)
    assert code == 0 and again["upload_id"] is None
    assert again["inserted"] == again["updated"] == 0
    assert "same_file" in {w["code"] for w in again["warnings"]}
    assert export(demo_db, tmp_path, "again") == after
    assert upload_rows(demo_db) == 1


def test_dry_run_writes_nothing(demo_db, tmp_path, capsys):
    before = export(demo_db, tmp_path, "before")
    code, out, _ = run_cli(capsys, "ingest", str(CORPUS / "good_wide_title.csv"), "--db", str(demo_db),
                           "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0 and report["dry_run"] and report["upload_id"] is None and report["updated"] == 3
    assert export(demo_db, tmp_path, "after") == before
    assert upload_rows(demo_db) == 0


def test_oversized_file_is_not_read(demo_db, tmp_path, capsys):
    big = tmp_path / "big.csv"
    with open(big, "wb") as out:
        out.write("指标代码,区域,时期,数值\n".encode())
        line = "forest_cover,武隆区,2024,67.6\n".encode()
        out.write(line * (MAX_BYTES // len(line) + 10))
    before = export(demo_db, tmp_path, "before")
    code, out, err = run_cli(capsys, "ingest", str(big), "--db", str(demo_db), "--json")
    report = json.loads(out)
    assert code == 2
    assert [e["code"] for e in report["errors"]] == ["too_large"]
    assert export(demo_db, tmp_path, "after") == before


def test_human_readable_report_names_row_column_value(demo_db, capsys):
    code, out, _ = run_cli(capsys, "ingest", str(CORPUS / "bad_errors.xlsx"), "--db", str(demo_db))
    assert code == 1
    assert "第 4 行 · 区域 · “月亮湾”" in out
    assert "第 6 行 · 数值 · “九十六”" in out
    code, out, _ = run_cli(capsys, "ingest", str(CORPUS / "bad_errors.xlsx"), "--db", str(demo_db), "--lang", "en")
    assert "row 4 · 区域 · \"月亮湾\"" in out and "Unknown region" in out


def test_missing_file_and_missing_database(tmp_path, capsys):
    code, _, err = run_cli(capsys, "ingest", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "nope.csv" in err
    code, _, err = run_cli(capsys, "ingest", str(CORPUS / "good_bom_crlf.csv"), "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "x.duckdb" in err


def test_plan_counts_match_json(demo_db):
    """The page's path (pipeline.check) and the command line agree on a file."""
    from twomountains import access
    data = (CORPUS / "good_gbk_chinese_headers.csv").read_bytes()
    plan = pipeline.check(data, "good_gbk_chinese_headers.csv", access.database(demo_db))
    assert plan.accepted and plan.counts == {"insert": 0, "update": 4, "unchanged": 0}


def test_an_operator_raises_the_limits_for_a_large_batch(demo_db, tmp_path, capsys, monkeypatch):
    from twomountains.ingest import reading
    wide = tmp_path / "many.csv"
    rows = ["forest_cover,500156,2024,67.6"] * 30
    wide.write_text("indicator_code,region_code,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv(reading.MAX_ROWS_ENV_VAR, "20")
    code, out, _ = run_cli(capsys, "ingest", str(wide), "--db", str(demo_db), "--json", "--dry-run")
    assert code == 2 and [e["code"] for e in json.loads(out)["errors"]] == ["too_many_rows"]
    monkeypatch.setenv(reading.MAX_ROWS_ENV_VAR, "100")
    code, out, _ = run_cli(capsys, "ingest", str(wide), "--db", str(demo_db), "--json", "--dry-run")
    assert code == 0, json.loads(out)["errors"]
