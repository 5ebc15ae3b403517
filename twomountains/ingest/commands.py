"""The upload commands of `python -m twomountains`: ingest, uploads, rollback, template, user add.

Exit codes of ingest: 0 accepted (written, or would be with --dry-run, or nothing to change);
1 rejected (errors; nothing written); 2 wrong use, login refused, file unreadable, database busy or missing.
Writes (ingest without --dry-run, rollback) need a login once an accounts file exists (writer()), and
the role twomountains.roles names for them (a refusal says which; exit 2). `user add` needs an admin's
login (--admin) once accounts exist.
No traceback reaches the user for a bad file.
"""
from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import timezone
from pathlib import Path

from twomountains import access, command_database, lake, roles
from twomountains.i18n import t
from twomountains.ingest import accounts, history, pipeline, reading, report, templates
from twomountains.ingest import problems as p
from twomountains.ingest.validate import Options

OK, REJECTED, USAGE = 0, 1, 2


def busy_message(busy: access.DatabaseBusy, lang: str, path) -> str:
    """The file held by another process, or (the lake) another writer committed first: what to do."""
    key = "lake.cli.write_conflict" if isinstance(busy, access.WriteConflict) else access.busy_key(busy, "upload.cli.busy")
    return t(key, lang, path=lake.shown(path))


PASSWORD_ENV_VAR = "TWOMOUNTAINS_PASSWORD"


def writer(user: str | None, lang: str) -> str | None:
    """The name a write from the command line is recorded under, or None (refused; the message is printed)."""
    account = writer_account(user, lang)
    return account.name if account else None


def writer_account(user: str | None, lang: str) -> accounts.Account | None:
    """The account a write from the command line is made as, or None (refused; the message is printed).

    With no accounts file (or an empty one) whoever may write the database file is trusted (as admin)
    and recorded as --user or the login name. Once accounts exist, --user is required and its password is checked as
    the upload page checks it (bcrypt, limited and logged attempts): from $TWOMOUNTAINS_PASSWORD when
    set (scripts), else asked with getpass at a terminal.
    """
    path = accounts.users_path()
    if not accounts.has_accounts(path):
        if user:
            return accounts.Account(user, roles.ADMIN)
        try:
            return accounts.Account(getpass.getuser(), roles.ADMIN)
        except (KeyError, OSError):
            return accounts.Account("cli", roles.ADMIN)
    if not user:
        print(t("upload.cli.login_needed", lang, path=path), file=sys.stderr)
        return None
    return _login(user, lang, path)


def _login(user: str, lang: str, path: Path) -> accounts.Account | None:
    """`user`'s password from $TWOMOUNTAINS_PASSWORD or the terminal, checked as the pages check it."""
    password = os.environ.get(PASSWORD_ENV_VAR)
    if password is None:
        if not sys.stdin.isatty():
            print(t("upload.cli.no_password", lang), file=sys.stderr)
            return None
        password = getpass.getpass(t("upload.cli.password_prompt", lang, name=user))
    try:
        result = accounts.login(user, password, path, client=cli_client())
    except access.DatabaseBusy as busy:       # the count is in the database, which the dashboard holds
        print(busy_message(busy, lang, busy.args[0] if busy.args else ""), file=sys.stderr)
        return None
    if result.account is not None:
        return result.account
    if result.reason == "locked":
        print(t("upload.cli.login_locked", lang, name=user,
                time=result.retry_after.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")), file=sys.stderr)
    else:
        print(t("upload.cli.login_failed", lang), file=sys.stderr)
    return None


def cli_client() -> str:
    """The command line's "client" for the login limits: the operating-system account running it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _print_problems(plan, lang: str) -> None:
    for problem in plan.errors + plan.warnings:
        data = p.as_dict(problem, lang)
        severity = t(f"upload.severity.{problem.severity}", lang)
        if problem.row is None:
            line = t("upload.cli.problem_line_file", lang, message=data["message"])
        else:
            line = t("upload.cli.problem_line", lang, row=problem.row, column=problem.column or "-",
                     value=problem.value or "", message=data["message"])
        print(f"[{severity}] {line}")


def _emit(args, plan, upload_id=None, extra: str | None = None) -> None:
    if args.json:
        json.dump(report.as_json(plan, args.lang, upload_id, args.dry_run), sys.stdout, ensure_ascii=False, indent=2)
        print()
        if extra:
            print(extra, file=sys.stderr)
        return
    counts = plan.counts
    layout = t(f"upload.layout.{plan.layout}", args.lang) if plan.layout else "—"
    print(t("upload.cli.summary_points" if plan.kind == "points" else "upload.cli.summary", args.lang,
            file=plan.file_name, encoding=plan.encoding or "—", layout=layout, rows=plan.rows,
            inserted=counts["insert"], updated=counts["update"], unchanged=counts["unchanged"], removed=plan.removed))
    _print_problems(plan, args.lang)
    if extra:
        print(extra)


def upload_request(args, file_missing_key: str) -> tuple[Path, access.Database, accounts.Account | None] | None:
    """The file, the database and the writer's account (None for a dry run) of an upload command; None when
    the command cannot go on (the message is printed). Shared with `python -m twomountains.tasks ingest`."""
    path = Path(args.file)
    if not path.is_file():
        print(t(file_missing_key, args.lang, path=path), file=sys.stderr)
        return None
    db = command_database.existing(args.db, args.lang)
    if db is None:
        return None
    account = None
    if not args.dry_run:
        account = writer_account(args.user, args.lang)
        if account is None:
            return None
    return path, db, account


def _refuse(refusal: roles.Refused, lang: str) -> int:
    print(roles.message(refusal, lang), file=sys.stderr)
    return USAGE


def cmd_ingest(args) -> int:
    request = upload_request(args, "upload.cli.file_missing")
    if request is None:
        return USAGE
    path, db, account = request
    options = Options(cumulative=args.cumulative)
    try:
        plan = pipeline.check_file(path, db, options)     # the bytes are freed once read (peak memory)
    except reading.UnreadableFile as unreadable:   # too large: refused before it is read into memory
        plan = pipeline.Plan(file_name=path.name, sha256="", size=path.stat().st_size, options=options,
                             readable=False, problems=[unreadable.problem])
        _emit(args, plan, extra=t("upload.cli.unreadable", args.lang))
        return USAGE
    except access.DatabaseBusy as busy:
        print(busy_message(busy, args.lang, db.path), file=sys.stderr)
        return USAGE
    except Exception as failure:  # a file that trips something unforeseen: say so, never a traceback
        print(t("upload.cli.internal", args.lang, error=f"{type(failure).__name__}: {failure}"), file=sys.stderr)
        return USAGE
    if not plan.readable:
        _emit(args, plan, extra=t("upload.cli.unreadable", args.lang))
        return USAGE
    if not plan.accepted:
        _emit(args, plan, extra=t("upload.cli.rejected", args.lang, count=len(plan.errors)))
        return REJECTED
    if args.dry_run:
        _emit(args, plan, extra=t("upload.cli.dry_run", args.lang))
        return OK
    try:
        roles.authorise_upload(account.name, account.role, plan.kind)
    except roles.Refused as refusal:
        return _refuse(refusal, args.lang)
    try:
        result = pipeline.commit(plan, db, account.name, previewed=False)
    except access.DatabaseBusy as busy:
        print(busy_message(busy, args.lang, db.path), file=sys.stderr)
        return USAGE
    except pipeline.UploadRejected:
        _emit(args, plan, extra=t("upload.cli.rejected", args.lang, count=len(plan.errors)))
        return REJECTED
    if result.upload_id is None:
        _emit(args, result.plan, extra=t("upload.cli.nothing", args.lang))
    else:
        _emit(args, result.plan, result.upload_id, t("upload.cli.accepted", args.lang, upload_id=result.upload_id))
    return OK


def _records(frame) -> list[dict]:
    out = []
    for row in frame.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and value != value:  # NaN
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            clean[key] = value
        out.append(clean)
    return out


def cmd_uploads(args) -> int:
    db = command_database.existing(args.db, args.lang)
    if db is None:
        return USAGE
    try:
        frame = history.revisions(db, args.show) if args.show is not None else history.uploads(db)
    except access.DatabaseBusy as busy:
        print(busy_message(busy, args.lang, db.path), file=sys.stderr)
        return USAGE
    if args.json:
        json.dump(_records(frame), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return OK
    if frame.empty:
        print(t("upload.cli.no_uploads", args.lang))
        return OK
    if args.show is None:
        frame = frame[["id", "kind", "user_name", "created_at", "file_name", "rows", "inserted", "updated",
                       "unchanged", "rolls_back", "rolled_back_by", "sha256"]]
    print(frame.to_string(index=False))
    return OK


def cmd_rollback(args) -> int:
    db = command_database.existing(args.db, args.lang)
    if db is None:
        return USAGE
    account = writer_account(args.user, args.lang)
    if account is None:
        return USAGE
    try:
        original = history.upload(db, args.upload_id)
        if original is not None and original["kind"] != "rollback":
            roles.authorise_rollback(account.name, account.role, original["kind"], original["user_name"])
        result = history.rollback(db, args.upload_id, account.name)
    except roles.Refused as refusal:
        return _refuse(refusal, args.lang)
    except access.DatabaseBusy as busy:
        print(busy_message(busy, args.lang, db.path), file=sys.stderr)
        return USAGE
    except history.RollbackRefused as refused:
        reason = t(f"upload.rollback.{refused.code}", args.lang, **report.listed(refused.params, args.lang))
        if args.json:
            json.dump({"upload_id": args.upload_id, "rollback_id": None, "refused": refused.code,
                       "message": reason}, sys.stdout, ensure_ascii=False, indent=2)
            print()
        print(t("upload.cli.rollback_refused", args.lang, reason=reason), file=sys.stderr)
        return USAGE if refused.code == "not_found" else REJECTED
    message = t("upload.rollback.done", args.lang, upload_id=result.upload_id, rollback_id=result.rollback_id,
                restored=result.restored, removed=result.removed)
    if args.json:
        json.dump({"upload_id": result.upload_id, "rollback_id": result.rollback_id, "restored": result.restored,
                   "removed": result.removed, "message": message}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(message)
    return OK


def _read_password(lang: str) -> str | None:
    if sys.stdin.isatty():
        first = getpass.getpass(t("upload.account.prompt", lang))
        second = getpass.getpass(t("upload.account.prompt_again", lang))
        if first != second:
            print(t("upload.account.mismatch", lang), file=sys.stderr)
            return None
        return first
    line = sys.stdin.readline()
    if not line:
        print(t("upload.account.no_password", lang), file=sys.stderr)
        return None
    return line.rstrip("\r\n")


def cmd_user_add(args) -> int:
    password = _read_password(args.lang)
    if password is None:
        return USAGE
    path = accounts.users_path(args.users)
    if accounts.has_accounts(path):     # the first account needs no login: whoever may write the file
        if not args.admin:
            print(t("roles.cli.admin_needed", args.lang), file=sys.stderr)
            return USAGE
        admin = _login(args.admin, args.lang, path)
        if admin is None:
            return USAGE
        try:
            roles.authorise_accounts(admin.name, admin.role)
        except roles.Refused as refusal:
            return _refuse(refusal, args.lang)
    try:
        account = accounts.add_user(args.name, password, args.role, args.users)
    except accounts.AccountError as problem:
        print(t(f"upload.account.{problem.code}", args.lang, **problem.params), file=sys.stderr)
        return USAGE
    print(t("upload.account.created", args.lang, name=account.name, role=account.role,
            path=accounts.users_path(args.users)))
    return OK


def cmd_template(args) -> int:
    db = command_database.existing(args.db, args.lang)
    if db is None:
        return USAGE
    out = Path(args.out)
    kind = "xlsx" if out.suffix.lower() == ".xlsx" else "csv"
    with db.reading() as cursor:
        if args.points:
            out.write_bytes(templates.points_file_bytes(cursor, args.lang, kind))
        else:
            out.write_bytes(templates.file_bytes(cursor, args.lang, kind))
    print(t("upload.cli.template_points_written" if args.points else "upload.cli.template_written", args.lang, path=out))
    return OK


def add_parsers(sub, common) -> None:
    """Register the upload commands on the main parser's subparsers."""
    i = sub.add_parser("ingest", parents=[common], help="check and write an analyst's CSV or .xlsx file")
    i.add_argument("file")
    i.add_argument("--db", help="database file (default: $TWOMOUNTAINS_DB or data/twomountains.duckdb)")
    i.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    i.add_argument("--json", action="store_true", help="print one JSON object")
    i.add_argument("--user", help="analyst account (its password is asked for, or read from $TWOMOUNTAINS_PASSWORD, "
                                  "when accounts exist); recorded in the history (default: the login name)")
    i.add_argument("--cumulative", action="store_true", help="values are year-to-date totals")
    i.set_defaults(func=cmd_ingest)

    u = sub.add_parser("uploads", parents=[common], help="the upload history (or one upload's changes)")
    u.add_argument("--db")
    u.add_argument("--json", action="store_true")
    u.add_argument("--show", type=int, metavar="UPLOAD_ID", help="the values one upload changed")
    u.set_defaults(func=cmd_uploads)

    r = sub.add_parser("rollback", parents=[common], help="undo one upload (recorded in the history)")
    r.add_argument("upload_id", type=int)
    r.add_argument("--db")
    r.add_argument("--json", action="store_true")
    r.add_argument("--user", help="analyst account, as for ingest")
    r.set_defaults(func=cmd_rollback)

    tp = sub.add_parser("template", parents=[common], help="write the upload template (.csv or .xlsx)")
    tp.add_argument("--out", required=True)
    tp.add_argument("--points", action="store_true",
                    help="the rural-tourism points file (every point now on the map) instead of the values template")
    tp.add_argument("--db")
    tp.set_defaults(func=cmd_template)

    user = sub.add_parser("user", help="analyst accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", parents=[common], help="create an account; asks for the password")
    add.add_argument("name")
    add.add_argument("--role", choices=accounts.ROLES, required=True)
    add.add_argument("--users", help="accounts file (default: $TWOMOUNTAINS_USERS or secrets/users.json)")
    add.add_argument("--admin", help="an administrator's account, needed once accounts exist (its password is "
                                     "asked for, or read from $TWOMOUNTAINS_PASSWORD)")
    add.set_defaults(func=cmd_user_add)
