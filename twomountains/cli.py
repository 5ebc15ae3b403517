"""The command line: python -m twomountains build-db | status | export | make-demo | ingest | uploads | rollback |
template | user add | deck | summary | plan-ingest | plan-template."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from twomountains import access, command_database, database, demo, exports, metadata, scorecard, verdicts
from twomountains.formatting import value_with_unit
from twomountains.i18n import LANGUAGES, t
from twomountains.explain import reason_text
from twomountains.ingest.commands import add_parsers as add_upload_parsers
from twomountains.forum.commands import add_forum_parsers
from twomountains.lake_commands import add_lake_parsers
from twomountains.paths import db_path
from twomountains.text import escaped_output


def _open_existing(path_arg, lang) -> access.Database:
    db = command_database.existing(path_arg, lang)
    if db is None:
        raise SystemExit(2)
    return db


def cmd_build_db(args) -> int:
    path = database.build_database(db_path(args.db))
    print(t("cli.built", args.lang, path=path))
    return 0


def plan_goals(db: access.Database, plan: str | None, lang: str):
    """The goals of the named plan (default: the default plan); an unknown code is a usage error."""
    from twomountains.plans import goals as plan_goals_, store as plan_store
    plan_store.ensure_tables(db)
    plans = plan_store.plans(db)
    if plan is not None and plan not in set(plans.code):
        print(t("plans.cli.unknown", lang, code=plan, known=", ".join(plans.code)), file=sys.stderr)
        raise SystemExit(2)
    return plan_store.goals(db, plan or plan_goals_.default_plan(plans), plans)


def status_records(db: access.Database, as_of: int | None, lang: str,
                   plan: str | None = None) -> tuple[int, list[dict]]:
    catalog = plan_goals(db, plan, lang)
    annual = db.query("annual_values", region=scorecard.DISTRICT)
    year = as_of or scorecard.default_as_of(annual)
    units = catalog.set_index("code")
    statuses = metadata.load_table("statuses").set_index("code")
    sources = metadata.load_table("sources").set_index("code")
    records = []
    for goal in scorecard.compute(catalog, annual, year):
        unit = units.loc[goal.code].to_dict()
        wording = verdicts.verdict_text(goal, unit, statuses, lang)
        source = sources.loc[goal.decided_source] if goal.decided_source in sources.index else None
        records.append({
            "code": goal.code,
            "name_zh": unit["name_zh"],
            "name_en": unit["name_en"],
            "goal_group": unit["goal_group"],
            "target_type": goal.target_type,
            "latest_value": goal.latest_value,
            "latest_period": goal.latest_period,
            "latest_quality": goal.latest_quality,
            "target": goal.target,
            "status": goal.status,
            "ratio": goal.ratio,
            "met_in": goal.met_in,
            "reason": reason_text(goal.reason, goal.facts, goal.ratio, unit, lang),
            "reason_code": goal.reason,
            "as_of": year,
            # Added by issue 11: the wording every view shows, what the status rests on, goals vs context.
            "is_goal": goal.is_goal,
            "verdict_text": wording.full,
            "target_year": goal.target_year,
            "latest_source": goal.latest_source,
            "latest_note": goal.latest_note,
            "verdict_year": goal.decided_year,
            "verdict_source": goal.decided_source,
            "verdict_source_name": None if source is None else source[f"name_{lang}"],
            "verdict_source_url": None if source is None or pd.isna(source["url"]) else source["url"],
            "verdict_quality": goal.decided_quality,
        })
    return year, records


def cmd_status(args) -> int:
    db = _open_existing(args.db, args.lang)
    year, records = status_records(db, args.as_of, args.lang, args.plan)
    catalog = plan_goals(db, args.plan, args.lang).set_index("code")
    if args.json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    name_field = f"name_{args.lang}"
    print(f"as_of={year}")
    for r in records:
        unit = catalog.loc[r["code"]].to_dict()
        latest = value_with_unit(r["latest_value"], unit, args.lang)
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print("\t".join([r["code"], r[name_field], latest, r["latest_period"] or "",
                         "" if r["target"] is None else f"{r['target']:g}", r["status"], ratio, r["verdict_text"]]))
    return 0


def cmd_export(args) -> int:
    query_name = {"observations": "observations_export", "catalog": "catalog_export"}[args.what]
    frame = _open_existing(args.db, args.lang).query(query_name)
    exports.write_csv(frame, Path(args.out))
    print(t("cli.exported", args.lang, rows=len(frame), path=args.out))
    return 0


def cmd_make_demo(args) -> int:
    """Regenerate every demo file under data/, in dependency order (points follow the demo counts)."""
    if args.out:
        print(demo.write(Path(args.out)))
        return 0
    from twomountains import demo_points
    from twomountains.tasks import demo as task_demo
    print(demo.write())
    for path in demo_points.write():
        print(path)
    print(task_demo.write())
    return 0


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default="zh", help="language of messages (default zh)")
    p = argparse.ArgumentParser(prog="python -m twomountains", description="Wulong two-mountains dashboard tools")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build-db", parents=[common], help="build the database from the files under data/")
    b.add_argument("--db", help="database file (default: $TWOMOUNTAINS_DB or data/twomountains.duckdb)")
    b.set_defaults(func=cmd_build_db)

    s = sub.add_parser("status", parents=[common], help="every goal's latest value, target and status")
    s.add_argument("--as-of", type=int, help="year the status is computed for (default: latest with data)")
    s.add_argument("--json", action="store_true", help="print a JSON list of objects")
    s.add_argument("--plan", help="the plan whose goals to judge (a code of data/catalog/plans.csv; default: "
                                  "the default plan, 2019-2022)")
    s.add_argument("--db")
    s.set_defaults(func=cmd_status)

    e = sub.add_parser("export", parents=[common], help="write observations or the catalog as CSV (UTF-8 with BOM)")
    e.add_argument("what", choices=["observations", "catalog"])
    e.add_argument("--out", required=True)
    e.add_argument("--db")
    e.set_defaults(func=cmd_export)

    m = sub.add_parser("make-demo", parents=[common], help="regenerate the demo data files under data/ (deterministic)")
    m.add_argument("--out")
    m.set_defaults(func=cmd_make_demo)

    add_upload_parsers(sub, common)  # ingest, uploads, rollback, template, user add (twomountains/ingest)
    add_forum_parsers(sub, common)   # deck, summary (twomountains/forum)
    from twomountains.plans.commands import add_plan_parsers
    add_plan_parsers(sub, common)    # plan-ingest, plan-template (twomountains/plans)
    add_lake_parsers(sub, common)    # lake move-in, move-out (twomountains/lake_commands.py)
    return p


def main(argv: list[str] | None = None) -> int:
    with escaped_output():   # a file's or the database's text never reaches the terminal raw (text.py)
        args = parser().parse_args(argv)
        return args.func(args)
