"""The small parts of twomountains.ingest, without Streamlit and mostly without a database."""
from __future__ import annotations

import codecs
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from twomountains.i18n import strings, t
from twomountains.paths import DB_ENV_VAR
from twomountains.ingest import accounts, headers, layout, numbers, reading
from twomountains.ingest import problems as p
from twomountains.ingest.cumulative import CumulativeGap, read_flag, read_period, single_value
from twomountains.ingest.lookup import Lookup, key, region_code_text
from twomountains.ingest.templates import TEMPLATE_FIELDS
from twomountains.metadata import load_table
from twomountains.paths import ROOT
from twomountains.periods import Period, PeriodError


# --- numbers ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, percent", [
    ("123.5", 123.5, False), ("１２３．５", 123.5, False), ("1,234.5", 1234.5, False), ("１,８１２.５", 1812.5, False),
    ("95.2%", 95.2, True), ("９６．８％", 96.8, True), (" -3 ", -3.0, False), ("1e3", 1000.0, False),
    ("'42", 42.0, False), ("1 234", 1234.0, False), ("−5", -5.0, False),
])
def test_numbers_read(text, value, percent):
    number = numbers.parse_number(text)
    assert number.value == value and number.percent_sign is percent


@pytest.mark.parametrize("text", ["约12", "12,5", "1,23,4", "abc", "1.2.3", "inf", "nan%", "九十六", "12%%"])
def test_numbers_refuse(text):
    with pytest.raises(numbers.NotANumber):
        numbers.parse_number(text)


@pytest.mark.parametrize("text", ["", " ", "-", "—", "N/A", "无", "…", "／"])
def test_blank_markers(text):
    assert numbers.is_blank(text)


# --- periods, cumulative ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, period, cumulative", [
    ("2023", Period(2023), False), ("2023Q3", Period(2023, 3), False), ("2023-Q3", Period(2023, 3), False),
    ("2023年第3季度", Period(2023, 3), False), ("2023年三季度", Period(2023, 3), False),
    ("2023-09", Period(2023, month=9), False), ("2023年9月", Period(2023, month=9), False),
    ("２０２３年第３季度", Period(2023, 3), False),
    ("2024年1-8月", Period(2024, month=8), True), ("2024年1—3季度", Period(2024, 3), True),
    ("2024年前三季度", Period(2024, 3), True), ("2024年前8个月", Period(2024, month=8), True),
    ("2024Q3累计", Period(2024, 3), True), ("2024年1-3季度累计", Period(2024, 3), True),
    ("2024Q1-Q3", Period(2024, 3), True),
])
def test_periods(text, period, cumulative):
    assert read_period(text) == (period, cumulative)


@pytest.mark.parametrize("text", ["2023年上半年", "2024年1-13月", "2024年1-5季度", "Q3", "二〇二三", ""])
def test_periods_refused(text):
    with pytest.raises((PeriodError, KeyError, ValueError)):
        read_period(text)


def test_single_value_from_year_to_date():
    singles = {Period(2025, 1): 46.21, Period(2025, 2): 54.63}
    assert single_value(Period(2025, 3), 190.53, singles).value == pytest.approx(89.69)
    assert single_value(Period(2025, 1), 46.21, {}).value == 46.21
    assert single_value(Period(2025), 238.5, {}).value == 238.5
    with pytest.raises(CumulativeGap) as gap:
        single_value(Period(2025, month=3), 100.0, {Period(2025, month=1): 30.0})
    assert gap.value.missing == [Period(2025, month=2)]


@pytest.mark.parametrize("text, flag", [("是", True), ("累计", True), ("yes", True), ("1", True), ("否", False),
                                        ("", False), ("当期", False), ("no", False), ("也许", None)])
def test_cumulative_flags(text, flag):
    assert read_flag(text) is flag


# --- headers ------------------------------------------------------------------------------------------
def test_header_synonyms_are_consistent_data():
    table = headers.synonyms_table()
    assert set(table.field) <= set(headers.FIELDS)
    assert set(table.lang) <= {"zh", "en"}
    normalised = table.assign(key=table.header.map(headers.normalise_header))
    clashes = normalised.groupby("key").field.nunique()
    assert (clashes == 1).all(), clashes[clashes > 1]
    for field in ("indicator_code", "indicator_name", "region", "period", "value", "unit", "source", "note",
                  "cumulative"):
        assert {"zh", "en"} <= set(table[table.field == field].lang), field


@pytest.mark.parametrize("header, field", [
    ("指标代码", "indicator_code"), ("区域", "region"), ("时期", "period"), ("数值", "value"), ("单位", "unit"),
    ("来源", "source"), ("备注", "note"), ("指标名称", "indicator_name"), ("区域代码", "region_code"),
    (" Indicator_Code ", "indicator_code"), ("数值(亿元)", "value"), ("数值（亿元）", "value"),
    ("\ufeffindicator_code", "indicator_code"), ("是否累计", "cumulative"), ("金额", None),
])
def test_header_fields(header, field):
    assert headers.field_of(header) == field


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_headers_read_back(lang):
    assert [headers.field_of(h) for h in (t(f"upload.field.{f}", lang) for f in TEMPLATE_FIELDS)] == \
        ["indicator_code", "indicator_name", "region_code", "region", "period", "value", "unit", "source", "note"]


def test_export_headers_read_back():
    for column in ("indicator_code", "region_code", "period", "value", "unit", "source", "quality", "note"):
        assert headers.field_of(column) == column


# --- reading ------------------------------------------------------------------------------------------
SAMPLE = "指标代码,区域,时期,数值\r\nforest_cover,仙女山街道,2024,63.5\r\n"


@pytest.mark.parametrize("data, encoding", [
    (SAMPLE.encode("utf-8"), "UTF-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "UTF-8 (BOM)"),
    (SAMPLE.encode("gbk"), "GB18030 (GBK)"),
    (SAMPLE.encode("gb18030"), "GB18030 (GBK)"),
    (codecs.BOM_UTF16_LE + SAMPLE.replace(",", "\t").encode("utf-16-le"), "UTF-16 (BOM)"),
])
def test_encodings_are_detected_and_named(data, encoding):
    sheet = reading.read_upload(data, "x.csv")
    assert sheet.encoding == encoding
    assert sheet.rows[1] == (2, ["forest_cover", "仙女山街道", "2024", "63.5"])
    assert sheet.newline == "CRLF"


def test_very_short_gbk_is_still_gbk():
    """charset-normalizer misreads a few GBK bytes (as cp932); GB18030 is tried before it."""
    assert reading.read_upload("区域\n武隆\n".encode("gbk"), "x.csv").encoding == "GB18030 (GBK)"


def test_semicolon_and_tab_delimiters():
    assert reading.read_upload(b"a;b;c\n1;2;3\n", "x.csv").rows[1][1] == ["1", "2", "3"]
    assert reading.read_upload(b"a\tb\tc\n1\t2\t3\n", "x.csv").delimiter == "\t"


def test_row_numbers_are_the_spreadsheet_rows():
    """A quoted line break stays in its row, and blank lines count, as in Excel."""
    sheet = reading.read_upload(b'a,b\n"two\nlines",x\n\nc,d\n', "x.csv")
    assert [(n, c[0]) for n, c in sheet.rows if c] == [(1, "a"), (2, "two\nlines"), (4, "c")]


@pytest.mark.parametrize("data, name, code", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "x.csv", "binary"),
    (b"PK\x03\x04garbage", "x.xlsx", "corrupt_xlsx"),
    (b"plain text", "x.xlsx", "corrupt_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "x.xls", "legacy_excel"),
])
def test_unreadable(data, name, code):
    with pytest.raises(reading.UnreadableFile) as failure:
        reading.read_upload(data, name)
    assert failure.value.problem.code == code


def test_excel_cells_as_text():
    assert reading.cell_text(2024.0) == "2024"
    assert reading.cell_text(96.6) == "96.6"
    assert reading.cell_text(datetime(2025, 6, 1)) == "2025-06"
    assert reading.cell_text(None) == ""


# --- layout -------------------------------------------------------------------------------------------
def sheet(rows):
    return reading.Sheet("csv", [(i, r) for i, r in enumerate(rows, start=1)])


def test_long_and_wide_layouts():
    long = layout.detect(sheet([["时期", "数值", "指标"], ["2024", "1", "forest_cover"]]))
    assert long.kind == "long" and long.records[0].cells["period"] == "2024"
    wide = layout.detect(sheet([["表头说明"], ["指标", "2023年", "2024年第1季度"], ["forest_cover", "1", ""]]))
    assert wide.kind == "wide" and wide.header_row == 2
    assert [(r.row, r.cells["period"], r.columns["value"]) for r in wide.records] == [(3, "2023年", "2023年")]


def test_missing_and_unexpected_columns_side_by_side():
    found = layout.detect(sheet([["指标名称", "年份", "金额"], ["x", "2024", "1"]]))
    problem = found.problems[0]
    assert problem.code == "missing_columns" and problem.params["missing_fields"] == ["value"]
    assert problem.params["unexpected"] == ["金额"]
    assert "数值" in p.message(problem, "zh") and "金额" in p.message(problem, "zh")
    assert "value" in p.message(problem, "en")


def test_catalog_layout_is_recognised():
    columns = list(load_table("indicators").columns)
    assert layout.detect(sheet([columns])).kind == "catalog"


# --- lookup -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lookup():
    catalog = load_table("indicators").merge(
        load_table("units").rename(columns={"code": "unit"}), on="unit", how="left")
    return Lookup(catalog, load_table("regions"))


def test_indicators_by_code_or_exact_name(lookup):
    assert lookup.indicator("forest_cover") == "forest_cover"
    assert lookup.indicator("森林覆盖率") == "forest_cover"
    assert lookup.indicator("Forest coverage") == "forest_cover"
    assert lookup.indicator("forest coverage") == "forest_cover"
    assert lookup.indicator("“两山”乡村精品线路") == "boutique_routes"
    assert lookup.indicator("乡村旅游示范（村）点") == "rural_tourism_demo_points"
    assert lookup.indicator("森林覆盖", "any") is None
    assert lookup.indicator("森林覆盖率", "code") is None
    assert lookup.suggest_indicator("森林覆盖") == "forest_cover"


def test_regions_by_code_name_alias(lookup):
    assert lookup.region("500156003000") == "500156003"
    assert lookup.region("500156.0") == "500156"
    assert lookup.region("仙女山街道") == "500156003"
    assert lookup.region("Xiannüshan Subdistrict") == "500156003"
    assert lookup.region("后坪乡") == "500156208"
    assert lookup.region("武隆县") == "500232"
    assert lookup.region("江北区") is None
    assert region_code_text("５００１５６") == "500156"


@pytest.mark.parametrize("code, period, stored, mapped", [
    ("500156103", Period(2019), "500156103", False),            # 仙女山镇 existed in 2019
    ("500156103", Period(2020, 1), "500156103", False),         # ... and in Q1 2020 (merged on 2020-04-22)
    ("500156103", Period(2020, 2), "500156003", True),          # Q2 2020 ends after the reform
    ("500156106", Period(2023), "500156004", True),             # 羊角镇 -> 羊角街道
    ("500156110", Period(2023), "500156004", True),             # 土坎镇 -> 羊角街道
    ("500156200", Period(2024, month=5), "500156113", True),    # 凤来乡 -> 凤来镇
    ("500232", Period(2018), "500156", True),                   # 武隆县 -> 武隆区
    ("500156003", Period(2023), "500156003", False),
])
def test_old_townships_map_by_date(lookup, code, period, stored, mapped):
    match = lookup.region_for_period(code, period)
    assert (match.code, match.mapped) == (stored, mapped)


def test_units(lookup):
    assert lookup.unit_matches("tourism_revenue", "亿元")
    assert lookup.unit_matches("tourism_revenue", "100m_yuan")
    assert lookup.unit_matches("forest_cover", "％")
    assert lookup.unit_matches("park_green_area_per_capita", "平方米/人")
    assert not lookup.unit_matches("tourism_revenue", "万元")
    assert key("  Forest  Coverage ") == "forestcoverage"


# --- accounts -----------------------------------------------------------------------------------------
def test_accounts_are_salted_bcrypt_hashes(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "attempts.duckdb"))      # where attempts are counted
    path = tmp_path / "users.json"
    accounts.add_user("ana", "correct horse", "analyst", path, rounds=4)
    accounts.add_user("bo", "correct horse", "admin", path, rounds=4)
    stored = json.loads(path.read_text())["users"]
    assert stored["ana"]["hash"].startswith("$2b$04$")
    assert stored["ana"]["hash"] != stored["bo"]["hash"]
    assert "correct horse" not in path.read_text()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert accounts.login("ana", "correct horse", path).account == accounts.Account("ana", "analyst")
    assert accounts.login("ana", "wrong", path).reason == "bad_credentials"
    assert accounts.login("nobody", "correct horse", path).reason == "bad_credentials"


@pytest.mark.parametrize("name, password, role, code", [
    ("a b", "long enough", "analyst", "bad_name"), ("ana", "short", "analyst", "short_password"),
    ("ana", "x" * 73, "analyst", "long_password"), ("ana", "long enough", "boss", "bad_role"),
])
def test_account_rules(tmp_path, name, password, role, code):
    with pytest.raises(accounts.AccountError) as failure:
        accounts.add_user(name, password, role, tmp_path / "users.json", rounds=4)
    assert failure.value.code == code
    assert t(f"upload.account.{code}", "zh", **failure.value.params)


def test_failed_logins_are_limited_and_logged(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "attempts.duckdb"))
    path = tmp_path / "users.json"
    accounts.add_user("ana", "correct horse", "analyst", path, rounds=4)
    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
    for attempt in range(accounts.MAX_FAILURES):
        assert accounts.login("ana", "guess", path, now=start + timedelta(seconds=attempt)).reason == "bad_credentials"
    locked = accounts.login("ana", "correct horse", path, now=start + timedelta(minutes=1))
    assert locked.account is None and locked.reason == "locked"
    assert locked.retry_after == start + timedelta(minutes=accounts.LOCK_MINUTES)
    later = accounts.login("ana", "correct horse", path, now=start + timedelta(minutes=accounts.LOCK_MINUTES + 1))
    assert later.account is not None
    log = [json.loads(line) for line in accounts.log_path(path).read_text().splitlines()]
    assert [e["event"] for e in log] == ["failure"] * accounts.MAX_FAILURES + ["locked", "success"]
    assert all(e["user"] == "ana" and "horse" not in json.dumps(e) for e in log)


def test_users_file_is_git_ignored():
    import subprocess
    ignored = subprocess.run(["git", "check-ignore", "-q", str(accounts.DEFAULT_USERS)], cwd=ROOT)
    assert ignored.returncode == 0
    ignored_log = subprocess.run(["git", "check-ignore", "-q", str(accounts.log_path(accounts.DEFAULT_USERS))], cwd=ROOT)
    assert ignored_log.returncode == 0


# --- translations -------------------------------------------------------------------------------------
def test_upload_translations_have_the_same_keys():
    import yaml
    zh = yaml.safe_load((ROOT / "data/i18n/zh/upload.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((ROOT / "data/i18n/en/upload.yaml").read_text(encoding="utf-8"))
    assert set(zh) == set(en)
    for name in zh:
        assert set(re.findall(r"{(\w+)}", zh[name])) == set(re.findall(r"{(\w+)}", en[name])), name
    assert strings("zh") and strings("en")  # no key defined twice across files


def test_every_problem_code_in_the_code_has_a_message():
    source = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "twomountains/ingest").glob("*.py"))
    codes = set(re.findall(r'p\.(?:error|warning)\("(\w+)"', source))
    codes |= set(re.findall(r'(?<![.\w])(?:error|warning)\("(\w+)"', source))
    codes |= set(re.findall(r'RollbackRefused\("(\w+)"', source))
    assert len(codes) > 30
    for lang in ("zh", "en"):
        known = strings(lang)
        missing = [c for c in codes if f"upload.problem.{c}" not in known and f"upload.rollback.{c}" not in known]
        assert not missing, (lang, missing)
