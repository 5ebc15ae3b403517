"""The half-year report is generated as a Word document in Chinese and English and opened again."""
import io
import re

import pytest
from docx import Document

from twomountains import metadata
from twomountains.access import database
from twomountains.scorecard import compute
from twomountains.tasks import document, views
from twomountains.tasks.book import load_database

CJK = re.compile(r"[\u4e00-\u9fff]")


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def generated(demo_db):
    db = database(demo_db)
    book = load_database(db)
    catalog = db.query("indicator_catalog").set_index("code", drop=False)
    annual = db.query("annual_values", region="500156")
    year, half = 2022, 2
    goals = {g.code: g.status for g in compute(catalog.reset_index(drop=True), annual, views.goals_year(year, half))}
    summary = views.half_year_summary(book, year, half, goals)
    statuses = metadata.load_table("statuses").set_index("code")
    docs = {lang: Document(io.BytesIO(document.build_docx(summary, book, catalog, statuses, lang, has_demo=True)))
            for lang in ("zh", "en")}
    return summary, book, catalog, docs


def test_the_chinese_report_has_every_part(generated):
    summary, book, catalog, docs = generated
    doc = docs["zh"]
    text = all_text(doc)
    assert doc.paragraphs[0].text == "武隆区“两山”实践创新基地建设工作情况汇报(2022年下半年)"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、总体情况", "二、重点任务进展", "三、滞后任务及存在问题", "四、目标完成情况(截至2022年)",
                        "五、月报报送情况"]
    assert "演示数据" in text and "建设领导小组办公室 · 2023-01-05" in text
    tasks_table = doc.tables[0]
    assert len(tasks_table.rows) == 21
    assert [c.text for c in tasks_table.rows[1].cells][:2] == ["二(一)1", "实施空间格局优化工程"]
    for code in summary.delayed:
        assert book.task(code).title_zh in text
    for unit in summary.units_missing:
        assert book.unit_name(unit, "zh") in text
    lagging = [c for c, s in summary.goals.items() if s in ("moderate", "limited", "deteriorating", "missed")]
    assert lagging and all(catalog.loc[c, "name_zh"] in text for c in lagging)
    counts = summary.status_counts
    assert f"已完成{counts.get('done', 0)}项" in text and f"滞后{counts.get('delayed', 0)}项" in text


def test_the_english_report_is_all_english(generated):
    _summary, book, _catalog, docs = generated
    text = all_text(docs["en"])
    assert docs["en"].paragraphs[0].text.endswith("July–December 2022")
    assert not CJK.search(text), CJK.findall(text)[:10]
    assert "Baimashan" in text or book.task("t4_3").title_en in text
    assert len(docs["en"].tables[0].rows) == 21
