"""The published record (issue 11): every figure cited with its page, its certainty carried as data, demo
data consistent with it and never beside it, and English names in one convention."""
import shutil

import pandas as pd
import pytest

from twomountains import metadata
from twomountains.i18n import LANGUAGES, strings
from twomountains.observations import DataFileError, read_observation_files
from twomountains.paths import DATA_DIR
from twomountains.sources import note_label, value_qualifier

KEY = ["indicator_code", "region_code", "period"]


def published() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "observations/published.csv", dtype=str, keep_default_na=False)


def demo() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "observations/demo.csv", dtype=str, keep_default_na=False)


def test_every_published_figure_names_a_source_with_its_page_and_publisher():
    sources = metadata.load_table("sources").set_index("code")
    for row in published().itertuples():
        assert row.quality == "published" and row.source in sources.index, row
        source = sources.loc[row.source]
        assert str(source.url).startswith("http") and source.publisher, row.source


def test_every_note_on_a_published_figure_reads_in_both_languages():
    for note in set(published().note) - {""}:
        for part in note.split("; "):
            for lang in LANGUAGES:
                assert f"note.{part}" in strings(lang), (part, lang)
    assert note_label("year_uncertain; mirror", "en") == (
        "the source does not state the year; this year is the most likely; "
        "read from a repost on another site; less authoritative than the original")
    assert value_qualifier("published", "held_by_2021", "zh") == "已公布:有记载2021年8月前已获得;获评年份未找到"
    assert value_qualifier("demo", None, "en") == "demo"
    assert note_label("typed by an analyst; checked", "en") == "typed by an analyst; checked"  # free text stays


def test_the_titles_and_forums_of_the_published_record_are_in():
    rows = published().set_index(KEY)
    assert rows.loc[("national_eco_demo_zone", "500156", "2021"), "note"] == "held_by_2021"
    assert rows.loc[("national_sanitary_district", "500156", "2021"), "value"] == "1"
    forums = published()[published().indicator_code == "annual_green_forum"].set_index("period").value
    assert forums.to_dict() == {"2018": "0", "2019": "1", "2020": "2", "2021": "3", "2022": "4", "2023": "5"}
    gdp = published()[published().indicator_code == "gdp"].period.tolist()
    assert gdp == ["2018", "2020", "2022"]


def test_no_period_is_both_published_and_demo():
    both = demo().merge(published(), on=KEY)
    assert both.empty, both[KEY].head()


def test_the_build_rejects_a_demo_value_beside_a_published_one(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "observations", data / "observations")
    with open(data / "observations/demo.csv", "a", encoding="utf-8") as handle:
        handle.write("national_sanitary_district,500156,2021,0,milestone,demo,demo,\n")
    with pytest.raises(DataFileError, match="national_sanitary_district 500156 2021"):
        from twomountains.plans.records import every_indicator  # demo_plans.csv names later plans' indicators
        read_observation_files(data, every_indicator(), metadata.load_table("regions"))


def test_demo_series_stay_consistent_with_the_published_figures():
    combined = pd.concat([published(), demo()])
    district = combined[(combined.region_code == "500156") & combined.period.str.fullmatch(r"\d{4}")]
    catalog = metadata.load_table("indicators").set_index("code")
    cumulative = [c for c in catalog.index if catalog.loc[c, "target_type"] in ("count", "milestone")]
    for code in cumulative:   # counts and milestones accumulate: demo years never undo a published figure
        series = district[district.indicator_code == code].assign(year=lambda f: f.period.astype(int))
        values = series.sort_values("year").value.astype(float).tolist()
        assert values == sorted(values), code
    for code in ("tourism_revenue", "tourist_visits"):  # demo quarters add up to every published annual total
        quarters = demo()[(demo().indicator_code == code) & demo().period.str.contains("Q")]
        for row in published()[published().indicator_code == code].itertuples():
            total = quarters[quarters.period.str.startswith(row.period)].value.astype(float).sum()
            assert total == pytest.approx(float(row.value), abs=0.1), (code, row.period)


def test_goals_from_the_plan_without_a_record_have_no_invented_value():
    new_goals = ["protected_area_integration", "greenway_completed", "flora_fauna_inventory_update",
                 "wildlife_rescue_points", "drinking_water_source_zones", "yangjiao_old_town_regreening",
                 "fertiliser_pesticide_zero_growth", "culture_reader", "mugenpu_demo_site", "visitor_limit_plan",
                 "wujiang_green_buffers", "protected_land_area_kept", "eco_quality_rank",
                 "national_forest_eco_leisure_demo", "national_eco_tourism_demo"]
    catalog = metadata.load_table("indicators").set_index("code")
    assert set(new_goals) <= set(catalog.index)
    assert (catalog.loc[new_goals, "target_type"] != "context").all()
    observed = set(pd.concat([published(), demo()]).indicator_code)
    assert not observed & set(new_goals)


# --- English names: one convention ---------------------------------------------------------------------------
# Place names in Hanyu Pinyin as Chinese official English writes them (docs/methodology.md, English names):
# the name as one word, as in the units' official names (Xiannüshan Subdistrict); rivers keep a one-syllable
# name's 江 (Wujiang River). Never a translation of the name, never a second spelling.
PLACES = {"仙女山": "Xiannüshan", "白马山": "Baimashan", "乌江": "Wujiang"}
NOT_ENGLISH = ["Fairy Mountain", "Baima Mountain", "Wu River", "Xiannvshan", "Xiannushan", "Xiannv ", "White Horse",
               "boutique", "rectification", "rectified", "Green wealth for the people", "Livestock manure"]


def english_texts() -> list[tuple[str, str, str]]:
    """(where, Chinese, English) for every bilingual name or text under data/."""
    found = []
    for path in DATA_DIR.rglob("*.csv"):
        if "observations" in path.parts:
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for zh_column in [c for c in frame.columns if c.endswith("_zh")]:
            en_column = zh_column[:-3] + "_en"
            if en_column in frame:
                where = f"{path.name}:{zh_column[:-3]}"
                found += [(where, zh, en) for zh, en in zip(frame[zh_column], frame[en_column])]
    found += [("i18n", strings("zh")[key], text) for key, text in strings("en").items()]
    return found


def test_english_names_follow_one_convention():
    texts = english_texts()
    assert len(texts) > 500
    for where, zh, en in texts:
        for wrong in NOT_ENGLISH:
            assert wrong.lower() not in en.lower(), (where, en)
        if where.endswith("name"):  # a name that holds a place name spells it the one way
            for chinese, pinyin in PLACES.items():
                if chinese in zh:
                    assert pinyin in en, (where, zh, en)
    names = metadata.load_table("indicators").set_index("code").name_en
    assert names["livestock_manure_utilization_rate"] == "Livestock and poultry waste utilisation rate"
    assert "signature" in names["boutique_routes"]


def test_every_title_has_a_year_and_a_cited_source():
    titles = metadata.load_table("titles")
    sources = metadata.load_table("sources").set_index("code")
    assert titles.set_index("code").loc["two_mountains_base", "year"] == 2018
    for title in titles.itertuples():
        assert str(sources.loc[title.source, "url"]).startswith("http"), title.code
        if isinstance(title.note, str):
            for part in title.note.split("; "):
                assert all(f"note.{part}" in strings(lang) for lang in LANGUAGES), part
