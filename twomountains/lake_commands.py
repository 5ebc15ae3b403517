"""python -m twomountains lake move-in | move-out: an embedded database into a lake, and back (lake_transfer)."""
from __future__ import annotations

import sys
from pathlib import Path

from twomountains import lake, lake_transfer
from twomountains.i18n import t

OK, USAGE = 0, 2


def _report(args, rows: dict[str, int], key: str, **params) -> int:
    print(t(key, args.lang, tables=len(rows), rows=sum(rows.values()), **params))
    return OK


def _transfer(args, location: str, move, done_key: str, **shown) -> int:
    """Run one move; a refusal or an unreachable lake is a message and exit code 2, nothing changed."""
    if not lake.is_lake(location):
        print(t("lake.not_a_lake", args.lang, location=location), file=sys.stderr)
        return USAGE
    try:
        rows = move()
    except lake_transfer.TransferRefused as refused:
        print(t(f"lake.refused.{refused.code}", args.lang, **refused.params), file=sys.stderr)
        return USAGE
    except lake.LakeUnavailable as error:
        print(t("lake.unavailable", args.lang, error=lake.shown(str(error))), file=sys.stderr)
        return USAGE
    return _report(args, rows, done_key, **shown)


def cmd_move_in(args) -> int:
    return _transfer(args, args.to, lambda: lake_transfer.file_to_lake(Path(args.source), args.to, args.data,
                                                                      replace=args.replace),
                     "lake.moved_in", source=args.source, target=lake.shown(args.to))


def cmd_move_out(args) -> int:
    return _transfer(args, args.source, lambda: lake_transfer.lake_to_file(args.source, Path(args.to), args.data,
                                                                          replace=args.replace),
                     "lake.moved_out", source=lake.shown(args.source), target=args.to)


def add_lake_parsers(sub, common) -> None:
    p = sub.add_parser("lake", help="move the embedded database into a DuckLake (PostgreSQL catalog) and back")
    verbs = p.add_subparsers(dest="lake_command", required=True)
    data_help = f"folder (or s3:// prefix) of the lake's Parquet files (default ${lake.DATA_ENV_VAR})"
    i = verbs.add_parser("move-in", parents=[common], help="copy a database file into an empty lake")
    i.add_argument("--from", dest="source", required=True, help="the DuckDB file")
    i.add_argument("--to", required=True, help="ducklake:postgres:dbname=... host=... user=...")
    i.add_argument("--data", help=data_help)
    i.add_argument("--replace", action="store_true", help="replace the tables a lake already holds")
    i.set_defaults(func=cmd_move_in)
    o = verbs.add_parser("move-out", parents=[common], help="write a lake into a new database file")
    o.add_argument("--from", dest="source", required=True, help="ducklake:postgres:dbname=... host=... user=...")
    o.add_argument("--to", required=True, help="the DuckDB file to write")
    o.add_argument("--data", help=data_help)
    o.add_argument("--replace", action="store_true", help="replace the file if it exists")
    o.set_defaults(func=cmd_move_out)
