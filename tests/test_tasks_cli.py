"""python -m twomountains.tasks: ingest (exit codes, JSON), uploads, rollback, template, make-demo."""
import json

from twomountains.paths import DATA_DIR
from twomountains.tasks.__main__ import main

GOOD = "task,unit,month,status,percent complete\nt2_3,ecoenv,2022-06,in progress,70\n"
BAD = GOOD + "t2_3,ecoenv,2022-07,in progress,170\n"


def test_ingest_uploads_and_rollback(demo_db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["ingest", str(bad), "--json", "--lang", "en"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["upload_id"] is None and out["errors"][0]["row"] == 3
    assert out["errors"][0]["column"] == "percent complete" and "between 0 and 100" in out["errors"][0]["message"]

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["ingest", str(good), "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["upload_id"] is None
    assert main(["ingest", str(good), "--json", "--user", "bob"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["upload_id"], out["updated"]) == (1, 1)
    assert main(["uploads", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["user_name"] == "bob"
    assert main(["rollback", "1", "--lang", "en"]) == 0
    assert main(["rollback", "1", "--lang", "en"]) == 1
    assert "already rolled back" in capsys.readouterr().err


def test_unreadable_file_and_wrong_use(demo_db, tmp_path, capsys):
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    assert main(["ingest", str(binary)]) == 2
    assert main(["ingest", str(tmp_path / "missing.csv")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_template_round_trip(demo_db, tmp_path, capsys):
    for lang in ("zh", "en"):
        path = tmp_path / f"template-{lang}.csv"
        assert main(["template", "--lang", lang, "--out", str(path)]) == 0
        assert main(["ingest", str(path), "--dry-run"]) == 0


def test_make_demo_is_deterministic(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    main(["make-demo", "--out", str(first)])
    main(["make-demo", "--out", str(second)])
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == (DATA_DIR / "tasks" / "reports_demo.csv").read_bytes()
