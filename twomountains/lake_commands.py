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
    lake_address = "ducklake:postgres:dbname=... host=... user=..."
    for name, func, about, source, target, replace in (
            ("move-in", cmd_move_in, "copy a database file into an empty lake", "the DuckDB file", lake_address,
             "replace the tables a lake already holds"),
            ("move-out", cmd_move_out, "write a lake into a new database file", lake_address,
             "the DuckDB file to write", "replace the file if it exists")):
        verb = verbs.add_parser(name, parents=[common], help=about)
        verb.add_argument("--from", dest="source", required=True, help=source)
        verb.add_argument("--to", required=True, help=target)
        verb.add_argument("--data", help=f"folder (or s3:// prefix) of the lake's Parquet files "
                                         f"(default ${lake.DATA_ENV_VAR})")
        verb.add_argument("--replace", action="store_true", help=replace)
        verb.set_defaults(func=func)
