"""The tasks and units under data/tasks/ agree with the plan text: nothing missing, nothing invented."""
import re
import unicodedata

import pytest

from twomountains import metadata
from twomountains.tasks.book import load_files, split_units
from tests.plan import plan_text

GROUPS = {"有关街道办事处、乡镇人民政府": "townships_concerned", "各街道办事处、乡镇人民政府": "townships_all"}
NUMERALS = "一二三四五六七八九"




def units_of(listing: str) -> list[str]:
    """'区生态环境局、区水利局,有关街道办事处、乡镇人民政府' -> names, the township groups kept whole."""
    for group in GROUPS:
        listing = listing.replace(group, f"|{group}|")
    names = []
    for part in re.split(r"[|,，]", listing):
        if part in GROUPS:
            names.append(part)
        else:
            names += [n for n in part.split("、") if n]
    return names


def plan_tasks() -> dict[str, dict]:
    """Every numbered task of part 二 as the plan writes it: clause -> title, paragraph, lead and responsible names."""
    text = plan_text()
    part = text[text.index("二、重点任务"):text.index("三、保障措施")]
    tasks, section = {}, None
    for line in part.splitlines():
        heading = re.match(r"^\(([一二三四五六七八九])\)(.+?)。$", line)
        if heading:
            section = heading[1]
            continue
        item = re.match(r"^(\d)\. ?(.+?)。(.*)$", line)
        if not item:
            continue
        units = re.search(r"\(牵头单位:([^;)]*)(?:;责任单位:([^)]*))?\)", line)
        assert units, line[:40]
        tasks[f"二({section}){item[1]}"] = {"title": item[2], "paragraph": line,
                                            "lead": units_of(units[1]), "responsible": units_of(units[2] or "")}
    return tasks


def names(codes) -> list[str]:
    departments = metadata.load_table("departments").set_index("code")
    return [departments.loc[c, "name_zh"] for c in codes]


def test_the_plan_has_twenty_tasks_and_data_has_each_once():
    tasks = metadata.load_table("tasks")
    assert len(plan_tasks()) == 20
    assert sorted(tasks.clause) == sorted(plan_tasks())


# Parametrised by the data's clauses, so a missing plan fails each case in CI instead of leaving none to run.
@pytest.mark.parametrize("clause", sorted(metadata.load_table("tasks").clause))
def test_each_task_matches_the_plan(clause):
    expected = plan_tasks()[clause]
    task = metadata.load_table("tasks").set_index("clause").loc[clause]
    assert task.title_zh == expected["title"]
    assert task.description_zh in expected["paragraph"], "the description is taken from the task's own paragraph"
    assert names(split_units(task.lead_units)) == expected["lead"]
    assert names(split_units(task.responsible_units)) == expected["responsible"]


def test_sections_are_the_plans():
    text = plan_text()
    for section in metadata.load_table("task_sections").itertuples():
        assert f"{section.number}{section.title_zh}。" in text
    tasks = metadata.load_table("tasks")
    sections = metadata.load_table("task_sections").set_index("code")
    for task in tasks.itertuples():
        assert task.clause == f"二{sections.loc[task.section, 'number']}{task.number}"


def test_every_unit_the_plan_names_is_a_department_and_none_is_invented():
    text = plan_text()
    named = {name for task in plan_tasks().values() for name in task["lead"] + task["responsible"]}
    departments = metadata.load_table("departments")
    assert named <= set(departments.name_zh), named - set(departments.name_zh)
    for department in departments.itertuples():
        assert department.name_zh in text, f"{department.name_zh} is not in the plan"
    # Every unit the task data names is one the plan names for tasks; the office is the one addressee.
    used = set(load_files().units.unit_code)
    assert set(departments.code) - used == {"leading_group_office"}


def test_groups_are_kept_whole():
    book = load_files()
    assert set(GROUPS.values()) <= set(book.units.unit_code)
    kinds = book.departments.kind
    assert set(kinds[kinds == "group"].index) == set(GROUPS.values())
    for code in GROUPS.values():
        assert book.departments.loc[code, "name_zh"] in GROUPS


def test_milestones_quote_their_tasks_paragraph_and_track_a_catalog_goal():
    tasks = plan_tasks()
    clauses = metadata.load_table("tasks").set_index("code").clause
    catalog = metadata.load_table("indicators").set_index("code")
    for milestone in metadata.load_table("task_milestones").itertuples():
        assert milestone.plan_text in tasks[clauses[milestone.task_code]]["paragraph"], milestone.code
        assert catalog.loc[milestone.indicator_code, "target_type"] in ("count", "level", "milestone")
    numbers = {m.indicator_code: m.plan_text for m in metadata.load_table("task_milestones").itertuples()}
    for code in ("boutique_routes", "baimashan_scenic_areas", "rivers_rectified", "rural_tourism_demo_points"):
        target = int(catalog.loc[code, "target_value"])
        assert str(target) in unicodedata.normalize("NFKC", numbers[code]), code


def test_every_catalog_goal_from_part_two_is_linked_to_its_task():
    book = load_files()
    links = set(zip(book.links.task_code, book.links.indicator_code))
    by_clause = dict(zip(book.tasks.clause, book.tasks.code))
    for goal in metadata.load_table("indicators").itertuples():
        for clause in goal.plan_clause.split(";"):
            if clause in by_clause:
                assert (by_clause[clause], goal.code) in links, (goal.code, clause)


def test_task_data_pass_their_schemas_and_refer_to_what_exists():
    book = load_files()     # raises TaskDataError on a dangling reference
    assert len(book.tasks) == 20 and len(book.sections) == 5
    assert book.tasks.title_en.str.len().min() > 0 and book.tasks.description_en.str.len().min() > 0
