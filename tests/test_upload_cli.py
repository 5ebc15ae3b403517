"""The upload commands: user add, template, uploads, rollback; any bytes give a report, never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twomountains import access, cli
from twomountains.ingest import accounts, headers, pipeline, problems
from twomountains.paths import ROOT

CORPUS = Path(__file__).parent / "fixtures" / "uploads"


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_user_add_reads_the_password_from_stdin(tmp_path):
    users = tmp_path / "users.json"
    command = [sys.executable, "-m", "twomountains", "user", "add", "ana", "--role", "analyst", "--users", str(users)]
    done = subprocess.run(command, input="a long passphrase\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ana" in done.stdout and "a long passphrase" not in users.read_text()
    assert accounts.login("ana", "a long passphrase", users).account.role == "analyst"
    short = subprocess.run(command[:-2] + ["--users", str(tmp_path / "other.json")], input="short\n",
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert short.returncode == 2 and "8" in short.stderr and not (tmp_path / "other.json").exists()


def test_user_add_in_process_roles_and_empty_input(tmp_path, capsys, monkeypatch):
    import io
    users = tmp_path / "users.json"
    monkeypatch.setattr(sys, "stdin", io.StringIO("another passphrase\n"))
    assert run(capsys, "user", "add", "bo", "--role", "admin", "--users", str(users))[0] == 0
    assert accounts.list_users(users) == [accounts.Account("bo", "admin")]
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run(capsys, "user", "add", "cy", "--role", "analyst", "--users", str(users))
    assert code == 2 and "没有读到密码" in err
    with pytest.raises(SystemExit):
        cli.main(["user", "add", "dd", "--role", "boss", "--users", str(users)])


@pytest.mark.parametrize("lang, first_header", [("zh", "指标代码"), ("en", "indicator_code")])
def test_template_command_and_round_trip(demo_db, tmp_path, capsys, lang, first_header):
    out = tmp_path / f"template-{lang}.csv"
    code, stdout, _ = run(capsys, "template", "--db", str(demo_db), "--out", str(out), "--lang", lang)
    assert code == 0 and str(out) in stdout
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert frame.columns[0] == first_header
    assert [headers.field_of(c) for c in frame.columns][:6] == [
        "indicator_code", "indicator_name", "region_code", "region", "period", "value"]
    with access.database(demo_db).reading() as cursor:
        codes = sorted(cursor.execute("SELECT code FROM indicators").df().code)
    assert sorted(frame.iloc[:, 0]) == codes
    # The blank template is a valid file with nothing in it; filled in, it uploads.
    empty = pipeline.check(data, out.name, access.database(demo_db))
    assert [e.code for e in empty.errors] == ["no_values"]
    frame.iloc[0, 4], frame.iloc[0, 5] = "2025", "1"
    row = frame.iloc[[0]]
    filled = pipeline.check(row.to_csv(index=False).encode("utf-8-sig"), "filled.csv", access.database(demo_db))
    assert filled.accepted, [(e.code, e.message if hasattr(e, "message") else e.params) for e in filled.errors]


def test_template_xlsx(demo_db, tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert run(capsys, "template", "--db", str(demo_db), "--out", str(out))[0] == 0
    assert pd.read_excel(out).columns[0] == "指标代码"


def test_uploads_and_rollback_commands(demo_db, tmp_path, capsys):
    code, out, _ = run(capsys, "uploads", "--db", str(demo_db))
    assert code == 0 and "还没有任何上传记录" in out
    assert run(capsys, "ingest", str(CORPUS / "good_wide_title.csv"), "--db", str(demo_db), "--user", "ana")[0] == 0
    code, out, _ = run(capsys, "uploads", "--db", str(demo_db), "--json")
    [entry] = json.loads(out)
    assert (entry["id"], entry["user_name"], entry["file_name"], entry["updated"]) == (1, "ana", "good_wide_title.csv", 3)
    assert len(entry["sha256"]) == 64 and entry["created_at"]
    code, out, _ = run(capsys, "uploads", "--db", str(demo_db), "--show", "1", "--json")
    assert {r["indicator_code"] for r in json.loads(out)} == {
        "air_good_days_ratio", "urban_sewage_treatment_rate", "surface_water_class3_ratio"}
    code, out, _ = run(capsys, "rollback", "1", "--db", str(demo_db), "--json", "--user", "bo")
    assert code == 0 and json.loads(out)["rollback_id"] == 2 and json.loads(out)["restored"] == 3
    code, _, err = run(capsys, "rollback", "1", "--db", str(demo_db))
    assert code == 1 and "已由第 2 号撤销" in err
    code, _, err = run(capsys, "rollback", "9", "--db", str(demo_db), "--lang", "en")
    assert code == 2 and "no upload 9" in err
    code, out, _ = run(capsys, "uploads", "--db", str(demo_db))
    assert "rollback" in out and "observations" in out


def test_docs_list_every_header_synonym():
    doc = (ROOT / "docs" / "data-formats.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Uploads"):]
    missing = [h for h in headers.synonyms_table().header if h not in section]
    assert not missing, missing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(
    st.binary(max_size=400),
    st.text(alphabet=st.sampled_from(list("指标代码区域时期数值,\n\r\"%１２.-年季度月Q2023forest_cover武隆区 \t;")),
            max_size=300).map(lambda s: s.encode("utf-8")),
    st.lists(st.lists(st.sampled_from(["指标代码", "时期", "数值", "区域", "forest_cover", "tourism_revenue",
                                        "2023", "2023Q3", "2024年1-8月", "12.5", "-3", "abc", "", "是", "仙女山镇",
                                        "500156", "1,234", "95%", "2099"]), min_size=1, max_size=6),
             min_size=1, max_size=8).map(lambda rows: "\n".join(",".join(r) for r in rows).encode("gbk")),
))
def test_any_bytes_give_a_report_not_an_exception(demo_db_template, data):
    """Random files of every kind: check() returns a plan (readable or not), with messages in both languages."""
    plan = pipeline.check(data, "fuzz.csv", access.database(demo_db_template))
    assert plan.accepted or plan.errors
    for problem in plan.problems:
        for lang in ("zh", "en"):
            assert problems.message(problem, lang)
