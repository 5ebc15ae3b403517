"""python -m twomountains plan-ingest FILE | plan-template: load a plan workbook from the command line.

Exit codes as `ingest`: 0 accepted (written, or would be with --dry-run, or nothing to change), 1 rejected
(errors; nothing written), 2 wrong use, login refused (uploading a plan needs the admin role once accounts
exist), file or database missing. A plan upload is undone with `rollback ID` like every other upload.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from twomountains.i18n import t
from twomountains.ingest import accounts
from twomountains.ingest import problems as p
from twomountains import command_database
from twomountains.ingest.commands import OK, REJECTED, USAGE, writer
from twomountains.plans import store as plan_store
from twomountains.plans import template, workbook


def _admin(user: str | None, lang: str) -> str | None:
    """The writer's name if it may load a plan: anyone while no accounts exist, else an admin."""
    name = writer(user, lang)
    if name is None or not accounts.has_accounts(accounts.users_path()):
        return name
    roles = {account.name: account.role for account in accounts.list_users()}
    if roles.get(name) != "admin":
        print(t("plans.upload.admin_only", lang), file=sys.stderr)
        return None
    return name


def cmd_plan_ingest(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(t("upload.cli.file_missing", args.lang, path=path), file=sys.stderr)
        return USAGE
    db = command_database.existing(args.db, args.lang)
    if db is None:
        return USAGE
    plan_store.ensure_tables(db)
    user = None if args.dry_run else _admin(args.user, args.lang)
    if not args.dry_run and user is None:
        return USAGE
    data = path.read_bytes()
    checked = workbook.check(data, path.name, db)
    upload_id = None
    if checked.accepted and not args.dry_run and checked.writes:
        upload_id = workbook.commit(data, path.name, db, user, previewed=checked).upload_id
    counts = checked.counts()
    if args.json:
        json.dump({"file": path.name, "accepted": checked.accepted, "dry_run": args.dry_run, "upload_id": upload_id,
                   "plan": checked.record["code"] if checked.record else None, "counts": counts,
                   "problems": [p.as_dict(x, args.lang) for x in checked.problems]},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(t("plans.upload.cli_summary", args.lang, file=path.name, inserted=counts["insert"],
                updated=counts["update"], unchanged=counts["unchanged"], removed=counts["delete"]))
        for problem in checked.problems:
            data_ = p.as_dict(problem, args.lang)
            print(f"[{t(f'upload.severity.{problem.severity}', args.lang)}] "
                  f"{problem.row or '-'} {problem.column or '-'} {problem.value or ''}: {data_['message']}")
        if upload_id is not None:
            print(t("upload.committed", args.lang, upload_id=upload_id))
    return OK if checked.accepted else REJECTED


def cmd_plan_template(args) -> int:
    db = command_database.existing(args.db, args.lang)
    if db is None:
        return USAGE
    plan_store.ensure_tables(db)
    kind = "xlsx" if args.out.endswith(".xlsx") else "csv"
    Path(args.out).write_bytes(template.template_bytes(db, args.lang, kind))
    print(t("cli.written", args.lang, path=args.out))
    return OK


def add_plan_parsers(sub, common) -> None:
    i = sub.add_parser("plan-ingest", parents=[common], help="check and load a plan workbook (record + targets)")
    i.add_argument("file", help="CSV or XLSX, Chinese or English headers (plan-template writes one)")
    i.add_argument("--dry-run", action="store_true", help="check and show the changes; write nothing")
    i.add_argument("--json", action="store_true", help="print the result as JSON")
    i.add_argument("--user", help="the admin account the upload is recorded under")
    i.add_argument("--db")
    i.set_defaults(func=cmd_plan_ingest)
    m = sub.add_parser("plan-template", parents=[common], help="write a plan workbook template (.csv or .xlsx)")
    m.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    m.add_argument("--db")
    m.set_defaults(func=cmd_plan_template)
