"""The metadata under data/ obeys its schemas, and the catalog covers the plan's goals."""

import pandera.errors
import pytest

from twomountains import metadata
from twomountains.i18n import LANGUAGES, strings
from twomountains.paths import ROOT
from tests.plan import plan_text
from tests.test_tasks_plan import names, plan_tasks


# The codes issue 2 fixes, so data files stay portable between tools.
REQUIRED_CODES = {
    "forest_cover": ("level", 65), "park_green_area_per_capita": ("level", 15),
    "air_good_days_ratio": ("level", 95), "surface_water_class3_ratio": ("level", 100),
    "urban_sewage_treatment_rate": ("level", 95), "urban_waste_harmless_rate": ("level", 100),
    "village_drinking_water_pass_rate": ("level", 100), "rural_toilet_standard_rate": ("level", 100),
    "rural_env_rectification_coverage": ("level", 100), "livestock_manure_utilization_rate": ("level", 75),
    "eco_industry_output": ("cagr", 15), "tourism_revenue": ("cagr", 20), "tourist_visits": ("context", None),
    "green_agri_area_share": ("level", 50), "disposable_income_per_capita": ("rank", None),
    "rural_affluent_population": ("rank", None), "industrial_wastewater_compliance_rate": ("level", 100),
    "agri_nonpoint_pollution_control_rate": ("level", 100), "soil_erosion_control_rate": ("level", 80),
    "rocky_desertification_control_rate": ("level", 40), "rural_tourism_demo_points": ("count", 100),
    "boutique_routes": ("count", 7), "baimashan_scenic_areas": ("count", 5),
    "baimashan_resort_areas": ("count", 5), "rivers_rectified": ("count", 11),
    "national_eco_demo_zone": ("milestone", 1), "national_forest_city": ("milestone", 1),
    "national_sanitary_district": ("milestone", 1), "natural_resource_balance_sheet": ("milestone", 1),
    "eco_compensation_mechanism": ("milestone", 1), "eco_big_data_platform": ("milestone", 1),
    "assessment_mechanism": ("milestone", 1),
}


@pytest.mark.parametrize("name", metadata.TABLE_NAMES)
def test_every_metadata_file_passes_its_schema(name):
    assert len(metadata.load_table(name)) > 0


def test_catalog_has_every_required_code_with_its_target():
    catalog = metadata.load_table("indicators").set_index("code")
    for code, (target_type, target) in REQUIRED_CODES.items():
        assert code in catalog.index, code
        assert catalog.loc[code, "target_type"] == target_type, code
        if target is not None:
            assert catalog.loc[code, "target_value"] == target, code


def test_catalog_targets_are_for_2022_and_every_goal_names_its_clause():
    catalog = metadata.load_table("indicators")
    assert set(catalog.target_year) == {2022}
    assert catalog.plan_clause.str.len().min() > 0


def test_a_goal_has_lead_units_exactly_where_the_plans_part_two_names_them():
    """Issue 11: the 牵头单位 of the part-二 tasks a goal comes from, in the plan's order; none for goals of
    part 一(三) alone, which the plan never assigned (the page says so instead of inventing an owner)."""
    tasks = plan_tasks()
    for goal in metadata.load_table("indicators").itertuples():
        expected = []
        for clause in goal.plan_clause.split(";"):
            if clause.startswith("二"):
                expected += [name for name in tasks[clause]["lead"] if name not in expected]
        shown = names(goal.lead_units.split(";")) if isinstance(goal.lead_units, str) else []
        assert shown == expected, goal.code
    catalog = metadata.load_table("indicators").set_index("code")
    assert catalog.lead_units.isna().loc["forest_cover"]                      # 一(三)1 only
    assert catalog.loc["annual_green_forum", "lead_units"] == "ecoenv"        # 区委宣传部 is 责任单位, not lead


def test_catalog_names_come_from_the_plan_text():
    """Every quantified goal's key phrase appears in the plan, so nothing in the catalog is invented."""
    plan = plan_text()
    phrases = ["森林覆盖率", "人均公园绿地面积", "优良", "Ⅲ类", "城镇生活污水处理率", "无害化处理率",
               "村镇饮用水卫生合格率", "农村公共厕所", "农村环境综合整治", "畜禽废物综合利用率", "生态工业总产值",
               "旅游综合收入", "有机、绿色、无公害农产品种植面积比重", "居民人均可支配收入", "农村富裕人口",
               "工业废水达标排放率", "农业面源污染防治率", "水土流失", "石漠化", "100个乡村旅游示范(村)点",
               "7条", "5大旅游景区", "5个旅游度假片区", "11条河流", "国家生态文明建设示范区", "国家森林城市",
               "国家卫生城区", "自然资源资产负债表", "生态补偿机制", "大数据平台", "评估考核机制",
               "国际论坛", "国土空间总体规划", "生态保护红线评估", "三线一单", "林长制", "责任追究办法",
               "重污染天数比例",
               # Issue 11: the goals the catalog had left out.
               "完成自然保护地整合", "完成绿道建设", "完成动植物区系编目更新", "应急救护点建设",
               "完成新增集中式饮用水水源地保护区划分", "完成羊角镇旧址复绿工程", "农药、化肥“零”增长",
               "编印一套特色文化读本", "启动木根铺区级乡村旅游示范点建设", "制定重大节假日景区游客限流预案",
               "不少于50米的绿化缓冲带", "不少于100米控制绿化缓冲带", "保持全区受保护地区国土面积",
               "生态环境质量总体保持全市一流水平", "全国森林生态休闲游示范区", "国家生态旅游示范区",
               "逐年有所提高", "逐年下降"]
    missing = [p for p in phrases if p not in plan]
    assert not missing


def test_a_broken_catalog_is_rejected_with_the_offending_column():
    catalog = metadata.load_table("indicators")
    broken = catalog.astype(str).copy()
    broken.loc[0, "target_type"] = "vibes"
    broken.loc[1, "lead_units"] = "no_such_department"
    with pytest.raises(pandera.errors.SchemaErrors) as error:
        metadata.validate_indicators(broken)
    text = str(error.value)
    assert "target_type" in text and "lead_units" in text


def test_regions_cover_the_2020_reform():
    regions = metadata.load_table("regions").set_index("code")
    current = regions[(regions.level == "township") & regions.successor_code.isna()]
    assert len(current) == 26
    assert regions.loc["500156110", "successor_code"] == "500156004"  # 土坎镇 → 羊角街道
    assert regions.loc["500156106", "successor_code"] == "500156004"  # 羊角镇 → 羊角街道
    assert regions.loc["500156103", "successor_code"] == "500156003"  # 仙女山镇 → 仙女山街道
    assert regions.loc["500156200", "successor_code"] == "500156113"  # 凤来乡 → 凤来镇
    assert str(regions.loc["500156110", "valid_to"].date()) == "2020-04-21"
    assert set(regions.successor_code.dropna()) <= set(regions.index)


def test_translations_have_the_same_keys_in_both_languages():
    zh, en = strings("zh"), strings("en")
    assert set(zh) == set(en), set(zh) ^ set(en)
    for key in zh:
        assert zh[key].count("{") == en[key].count("{"), key


def test_every_page_in_the_registry_exists_and_has_a_title_in_both_languages():
    pages = metadata.load_table("pages")
    assert pages.default.sum() == 1
    for page in pages.itertuples():
        assert (ROOT / page.file).exists(), page.file
        for lang in LANGUAGES:
            assert f"nav.{page.key}" in strings(lang)
            assert f"nav.section.{page.section}" in strings(lang)
    # each section's pages are listed together, so the sidebar shows each group once
    sections = pages.section.tolist()
    assert all(sections.index(s) == i or sections[i - 1] == s for i, s in enumerate(sections))


def test_bilingual_metadata_has_no_blank_names():
    for name in ("indicators", "goal_groups", "categories", "statuses", "departments", "regions", "sources"):
        table = metadata.load_table(name)
        for column in ("name_zh", "name_en"):
            assert table[column].str.strip().str.len().min() > 0, (name, column)


def test_english_names_contain_no_chinese_and_chinese_names_are_chinese():
    cjk = r"[\u4e00-\u9fff]"
    for name in ("indicators", "goal_groups", "categories", "statuses", "departments", "regions", "sources"):
        table = metadata.load_table(name)
        assert not table.name_en.str.contains(cjk).any(), name
        assert table.name_zh.str.contains(cjk).all(), name
    catalog = metadata.load_table("indicators")
    for column in ("definition_en", "reading_en"):
        assert not catalog[column].str.contains(cjk).any(), column


def test_fidelity_tests_fail_in_ci_when_the_plan_is_missing(monkeypatch, tmp_path):
    """Without ../shared/plan the fidelity tests skip on a developer's machine and fail in CI (CI=true)."""
    import tests.plan as plan
    monkeypatch.setattr(plan, "PLAN", tmp_path / "missing.txt")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        plan.plan_text()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        plan.plan_text()
