"""Bad input at volume: mutated upload files, checked and committed, never a traceback, never a partial write.

tests/test_upload_cli.py feeds check() random bytes and random grids of tokens: almost all of them are
turned away at reading or at the layout, and nothing is committed. Here hypothesis starts from the
good files of the corpus (tests/fixtures/uploads: long and wide, GBK and UTF-8, titles, cumulative
months, old townships, a catalog edit) and mutates them the way files get damaged in real life: a
cell replaced by a strange value, rows duplicated, dropped or swapped, bytes inserted, the file cut
short, another encoding or delimiter, or the whole thing saved as an Excel sheet. For every file:
- check() returns a plan and never raises;
- an accepted plan commits, and the database then holds exactly what the plan said (every new and
  changed value as planned, every other observation as it was, one upload, its revisions, one more
  data version); a rejected plan is refused and nothing at all changes;
- the command line (`python -m twomountains ingest`, run in-process through cli.main) exits 0, 1 or
  2 with no traceback, and writes only when it says it accepted the file.
"""
from __future__ import annotations

import contextlib
import io
import itertools
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from twomountains import access, cli
from twomountains.ingest import pipeline

CORPUS = Path(__file__).parent / "fixtures" / "uploads"
BASES = sorted(p.name for p in CORPUS.glob("*.csv") if p.name.startswith(("good_", "warn_")))
TOKENS = ["", " ", "0", "-1", "12.5", "１２.５", "1,234", "1e309", "-1e309", "NaN", "inf", "95%", "120%", "--",
          "—", "2099", "1900", "2023Q5", "2024-13", "2024年13月", "2024年1-8月", "2025Q2", "2024", "武隆区",
          "500156", "500156999", "仙女山镇", "forest_cover", "tourism_revenue", "万元", "%", "=1+1", "@SUM(A1)",
          "<b>x</b>", '"', '""', "a\nb", "\x00", "\ufeff", "x" * 300, "是", "否", "累计"]
COUNTER = itertools.count()


def lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def mutate(data: bytes, mutation: tuple, rng_values: list[int]) -> bytes:
    kind = mutation[0]
    rows = lines(data)
    pick = (lambda n: rng_values.pop() % n if rng_values else 0)
    if kind == "cell":
        row = pick(len(rows))
        cells = rows[row].split(b",")
        cells[pick(len(cells))] = mutation[1].encode("utf-8") if pick(3) else mutation[1].encode("gb18030", "replace")
        rows[row] = b",".join(cells)
    elif kind == "duplicate":
        row = pick(len(rows))
        rows.insert(row, rows[row])
    elif kind == "drop" and len(rows) > 1:
        rows.pop(pick(len(rows)))
    elif kind == "swap" and len(rows) > 2:
        a, b = pick(len(rows)), pick(len(rows))
        rows[a], rows[b] = rows[b], rows[a]
    elif kind == "bytes":
        position = pick(len(data) + 1)
        return data[:position] + mutation[1] + data[position:]
    elif kind == "cut":
        return data[:pick(len(data) + 1)]
    elif kind == "delimiter":
        return data.replace(b",", mutation[1])
    elif kind == "encoding":
        try:
            return data.decode("utf-8-sig").encode(mutation[1])
        except (UnicodeDecodeError, UnicodeEncodeError):
            return data
    return b"\n".join(rows)


def as_xlsx(data: bytes) -> bytes:
    """The (mutated) rows as an Excel sheet, numbers as numbers where they read as numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in data.decode("utf-8", "replace").splitlines():
        cells = []
        for cell in row.split(","):
            clean = "".join(ch for ch in cell if ch >= " " or ch == "\t")   # openpyxl refuses control characters
            try:
                cells.append(float(clean) if clean.strip() else None)
            except ValueError:
                cells.append(clean)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


mutations = st.lists(st.one_of(
    st.tuples(st.just("cell"), st.sampled_from(TOKENS)),
    st.tuples(st.sampled_from(["duplicate", "drop", "swap", "cut"])),
    st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delimiter"), st.sampled_from([b";", b"\t", b"\xef\xbc\x8c"])),   # ; tab ，
    st.tuples(st.just("encoding"), st.sampled_from(["gb18030", "utf-16", "utf-8-sig"])),
), min_size=0, max_size=3)        # none at all: the good file itself, committed

files = st.builds(
    lambda base, changes, picks, excel: (base, changes, picks, excel),
    st.sampled_from(BASES), mutations, st.lists(st.integers(0, 10_000), min_size=12, max_size=12),
    st.sampled_from([False, False, False, True]))          # one file in four saved as Excel


def build(case) -> tuple[str, bytes]:
    base, changes, picks, excel = case
    data = (CORPUS / base).read_bytes()
    picks = list(picks)
    for change in changes:
        data = mutate(data, change, picks)
    if excel:
        return base.replace(".csv", ".xlsx"), as_xlsx(data)
    return base, data


def snapshot(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "observations": {(r[0], r[1], r[2]): (r[3], r[4], r[5], r[6]) for r in con.execute(
                "SELECT indicator_code, region_code, period, value, source, quality, note FROM observations"
            ).fetchall()},
            "indicators": con.execute("SELECT * FROM indicators ORDER BY ALL").fetchall(),
            "points": {r[0]: r for r in con.execute("SELECT * FROM rural_tourism_points").fetchall()},
            "uploads": con.execute("SELECT count(*) FROM uploads").fetchall()[0][0],
            "revisions": con.execute("SELECT (SELECT count(*) FROM observation_revisions)"
                                     " + (SELECT count(*) FROM catalog_revisions)"
                                     " + (SELECT count(*) FROM point_revisions)").fetchall()[0][0],
            "version": con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0],
        }


@pytest.fixture
def fresh_db(demo_db_template, tmp_path):
    """A new copy of the demo database for each example (hypothesis runs many in one test)."""
    made = []

    def make() -> Path:
        path = tmp_path / f"fuzz-{next(COUNTER)}.duckdb"
        shutil.copy(demo_db_template, path)
        made.append(path)
        return path
    yield make
    for path in made:
        access.database(path).release()


def assert_unchanged(before: dict, after: dict) -> None:
    assert after == before, "the database changed although nothing was committed"


def assert_exactly(plan, before: dict, after: dict) -> None:
    """The database after a commit holds what the plan said, and nothing else changed."""
    assert after["uploads"] == before["uploads"] + 1
    assert int(after["version"]) == int(before["version"]) + 1
    if plan.kind == "points":          # a points file replaces the list: one revision per point it touches
        changed = [c for c in plan.changes if c.kind in ("insert", "update", "delete")]
        assert after["revisions"] == before["revisions"] + len(changed)
        assert after["observations"] == before["observations"]
        assert set(after["points"]) == {c.id for c in plan.changes if c.kind != "delete"}
        for change in changed:
            if change.kind == "delete":
                assert change.id not in after["points"]
            else:
                assert after["points"][change.id] != before["points"].get(change.id), change.id
        return
    written = [c for c in plan.changes if c.kind in ("insert", "update")]
    assert after["revisions"] == before["revisions"] + len(written)
    if plan.kind == "catalog":
        assert after["observations"] == before["observations"]
        return
    keys = {c.key for c in written}
    assert {k: v for k, v in after["observations"].items() if k not in keys} == \
        {k: v for k, v in before["observations"].items() if k not in keys}, "values outside the plan changed"
    for change in written:
        stored = after["observations"].get(change.key)
        assert stored is not None, change.key
        assert stored[0] == pytest.approx(change.new["value"]) and stored[1:] == (
            change.new["source"], change.new["quality"], change.new["note"]), (change.key, stored, change.new)


SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])


@SETTINGS
@given(case=files)
def test_mutated_files_check_and_commit_all_or_nothing(fresh_db, case):
    name, data = build(case)
    path = fresh_db()
    db = access.database(path)
    plan = pipeline.check(data, name, db)
    assert plan.accepted or plan.errors
    event("accepted" if plan.accepted else "rejected")
    db.release()
    before = snapshot(path)
    if not plan.accepted:
        with pytest.raises(pipeline.UploadRejected):
            pipeline.commit(plan, db, "fuzz")
        db.release()
        assert_unchanged(before, snapshot(path))
        return
    result = pipeline.commit(plan, db, "fuzz")
    db.release()
    after = snapshot(path)
    event(f"committed {plan.kind}" if result.upload_id else "nothing to write")
    if result.upload_id is None:
        assert plan.writes == 0
        assert_unchanged(before, after)
    else:
        assert_exactly(result.plan, before, after)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(case=files)
def test_mutated_files_through_the_command_line(fresh_db, tmp_path, case):
    name, data = build(case)
    path = fresh_db()
    upload = tmp_path / f"{next(COUNTER)}-{name}"
    upload.write_bytes(data)
    before = snapshot(path)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["ingest", str(upload), "--db", str(path), "--json"])
    access.database(path).release()
    event(f"exit {code}")
    assert code in (0, 1, 2), code
    assert "Traceback" not in err.getvalue() + out.getvalue()
    after = snapshot(path)
    if code != 0:
        assert_unchanged(before, after)
    else:
        assert after["uploads"] - before["uploads"] in (0, 1)
        if after["uploads"] == before["uploads"]:
            assert_unchanged(before, after)
