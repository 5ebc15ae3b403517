"""Monthly reports from the command line, on the same code path as the reporting page.

    python -m twomountains.tasks ingest FILE [--db PATH] [--dry-run] [--json] [--user NAME] [--lang zh|en]
    python -m twomountains.tasks uploads [--db PATH] [--json]
    python -m twomountains.tasks rollback UPLOAD_ID [--db PATH] [--user NAME]
    python -m twomountains.tasks template --out FILE [--lang zh|en]
    python -m twomountains.tasks make-demo [--out FILE]

Exit codes of ingest: 0 accepted (written, would be with --dry-run, or nothing to change); 1 rejected
(errors; nothing written); 2 wrong use, unreadable file, missing or busy database. No traceback for a bad file.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from twomountains import access, command_database, exports, roles
from twomountains.i18n import LANGUAGES, t
from twomountains.ingest.reading import UnreadableFile, read_file
from twomountains.text import escaped_output
from twomountains.tasks import book as task_book
from twomountains.tasks import demo, ingest, store

OK, REJECTED, USAGE = 0, 1, 2
READING_PROBLEMS = {"too_large", "legacy_excel", "corrupt_xlsx", "undecodable", "binary", "bad_csv", "too_many_rows",
                    "too_large_unpacked", "too_many_columns", "line_too_long", "mixed_encoding"}


def _database(args) -> access.Database | None:
    db = command_database.existing(args.db, args.lang)
    if db is not None:
        store.ensure_tables(db)
    return db


def _account(args):
    """The account a write is made as: the analyst's login once accounts exist (as `python -m twomountains`)."""
    from twomountains.ingest.commands import writer_account
    return writer_account(args.user, args.lang)


def cmd_ingest(args) -> int:
    from twomountains.ingest.commands import upload_request
    request = upload_request(args, "tasks.cli.no_file")
    if request is None:
        return USAGE
    path, db, account = request
    if account is not None:
        try:
            roles.authorise_upload(account.name, account.role, "task_reports")
        except roles.Refused as refusal:
            print(roles.message(refusal, args.lang), file=sys.stderr)
            return USAGE
    store.ensure_tables(db)
    book = task_book.load_database(db)
    try:
        data = read_file(path)
    except UnreadableFile as unreadable:   # too large: refused before it is read into memory
        data, too_large = b"", unreadable.problem
    else:
        too_large = None
    try:
        check = ingest.check_file(data, path.name, book, lambda keys: store.current_for(db, keys),
                                  ingest.today())
        if too_large is not None:
            check.problems = [too_large]
        upload_id = None
        if check.accepted and not args.dry_run:
            upload_id = store.commit(db, check, account.name, kind="file").upload_id
    except access.DatabaseBusy as busy:
        print(t(access.busy_key(busy, "tasks.up.busy"), args.lang), file=sys.stderr)
        return USAGE
    except store.ReportConflict:
        print(t("tasks.up.conflict", args.lang), file=sys.stderr)
        return USAGE
    counts = check.counts()
    problems = ingest.problems_table(check, args.lang)
    if args.json:
        json.dump({"file": str(path), "encoding": check.encoding, "rows": len(check.rows),
                   "inserted": counts["insert"], "updated": counts["update"], "unchanged": counts["unchanged"],
                   "warnings": _records(problems[problems.severity == "warning"]),
                   "errors": _records(problems[problems.severity == "error"]),
                   "upload_id": upload_id, "dry_run": bool(args.dry_run)},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for row in problems.itertuples():
            severity = t(f"tasks.prob.severity.{row.severity}", args.lang)
            if _text(row.row):
                print(t("tasks.cli.problem", args.lang, severity=severity, row=_text(row.row),
                        column=_text(row.column), value=_text(row.value), message=row.message))
            else:
                print(t("tasks.cli.problem_file", args.lang, severity=severity, message=row.message))
        if check.accepted:
            print(t("tasks.up.preview", args.lang, **counts))
            if upload_id:
                print(t("tasks.cli.written", args.lang, id=upload_id))
    if check.errors and all(e.code in READING_PROBLEMS for e in check.errors):
        return USAGE
    return OK if check.accepted else REJECTED


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _records(frame) -> list[dict]:
    return [{"row": None if r.row is None or pd.isna(r.row) else int(r.row), "column": r.column, "value": r.value,
             "message": r.message} for r in frame.itertuples()]


def cmd_uploads(args) -> int:
    db = _database(args)
    if db is None:
        return USAGE
    history = store.history(db)
    if args.json:
        print(history.to_json(orient="records", force_ascii=False, date_format="iso"))
        return OK
    for row in history.itertuples():
        print("\t".join(_text(v) for v in (row.id, row.kind, row.user_name, row.created_at, row.file_name,
                                           row.inserted, row.updated, row.unchanged, row.rolls_back,
                                           row.rolled_back_by)))
    return OK


def cmd_rollback(args) -> int:
    db = _database(args)
    if db is None:
        return USAGE
    account = _account(args)
    if account is None:
        return USAGE
    try:
        original = store.upload(db, args.upload_id)
        if original is not None and original["kind"] != "rollback":
            roles.authorise_rollback(account.name, account.role, "task_reports", original["user_name"])
        rollback_id = store.rollback(db, args.upload_id, account.name)
    except roles.Refused as refusal:
        print(roles.message(refusal, args.lang), file=sys.stderr)
        return USAGE
    except store.RollbackRefused as refused:
        print(t(f"tasks.rollback.{refused.code}", args.lang, **refused.params), file=sys.stderr)
        return REJECTED
    except access.DatabaseBusy as busy:
        print(t(access.busy_key(busy, "tasks.up.busy"), args.lang), file=sys.stderr)
        return USAGE
    print(t("tasks.hist.rolled_back", args.lang, id=args.upload_id, rollback=rollback_id))
    return OK


def cmd_template(args) -> int:
    exports.write_csv(ingest.template(args.lang), Path(args.out))
    print(args.out)
    return OK


def cmd_make_demo(args) -> int:
    print(demo.write(Path(args.out) if args.out else None))
    return OK


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default="zh", help="language of messages (default zh)")
    common.add_argument("--db", help="database file (default: $TWOMOUNTAINS_DB or data/twomountains.duckdb)")
    p = argparse.ArgumentParser(prog="python -m twomountains.tasks", description="monthly reports on the key tasks")
    sub = p.add_subparsers(dest="command", required=True)
    i = sub.add_parser("ingest", parents=[common], help="check a report file (CSV or .xlsx) and write it")
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    i.add_argument("--json", action="store_true", help="print one JSON object")
    i.add_argument("--user", help="name recorded in the history (default: the login name)")
    i.set_defaults(func=cmd_ingest)
    u = sub.add_parser("uploads", parents=[common], help="the history of report uploads, entries and rollbacks")
    u.add_argument("--json", action="store_true")
    u.set_defaults(func=cmd_uploads)
    r = sub.add_parser("rollback", parents=[common], help="undo one report upload or entry")
    r.add_argument("upload_id", type=int)
    r.add_argument("--user")
    r.set_defaults(func=cmd_rollback)
    tp = sub.add_parser("template", parents=[common], help="write an empty report file with headers in one language")
    tp.add_argument("--out", required=True)
    tp.set_defaults(func=cmd_template)
    m = sub.add_parser("make-demo", parents=[common], help="rewrite data/tasks/reports_demo.csv (deterministic)")
    m.add_argument("--out")
    m.set_defaults(func=cmd_make_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    with escaped_output():   # a file's or the database's text never reaches the terminal raw (text.py)
        args = parser().parse_args(argv)
        return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
