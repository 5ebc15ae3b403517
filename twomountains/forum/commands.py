"""python -m twomountains deck | summary: the forum deck (PPTX) and the one-page summary (PDF)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from twomountains import command_database
from twomountains.forum import data, deck, slides, summary
from twomountains.i18n import t


def _forum_data(args) -> data.ForumData | None:
    db = command_database.existing(args.db, args.lang)
    if db is None:
        return None
    from twomountains.plans import store as plan_store
    plan_store.ensure_tables(db)
    if args.plan is not None and args.plan not in set(plan_store.plans(db).code):
        print(t("plans.cli.unknown", args.lang, code=args.plan, known=", ".join(plan_store.plans(db).code)),
              file=sys.stderr)
        return None
    return data.load(db, args.as_of, args.plan)


def cmd_deck(args) -> int:
    forum = _forum_data(args)
    if forum is None:
        return 2
    specs = slides.build(forum, args.lang, args.date)
    Path(args.out).write_bytes(deck.build_deck(specs, t("forum.footer", args.lang)))
    print(t("cli.written", args.lang, path=args.out))
    return 0


def cmd_summary(args) -> int:
    forum = _forum_data(args)
    if forum is None:
        return 2
    Path(args.out).write_bytes(summary.summary_pdf(forum, args.lang))
    print(t("cli.written", args.lang, path=args.out))
    return 0


def add_forum_parsers(sub, common) -> None:
    d = sub.add_parser("deck", parents=[common], help="the forum slides as a PowerPoint deck with editable charts")
    d.add_argument("--as-of", type=int, help="year of the data (default: latest with data)")
    d.add_argument("--out", required=True, help="FILE.pptx")
    d.add_argument("--date", type=dt.date.fromisoformat, help="the forum's date on the cover, YYYY-MM-DD (default: today)")
    d.add_argument("--plan", help="the plan whose goals the deck shows (default: the default plan, 2019-2022)")
    d.add_argument("--db")
    d.set_defaults(func=cmd_deck)

    s = sub.add_parser("summary", parents=[common], help="a printable one-page scorecard (PDF)")
    s.add_argument("--as-of", type=int)
    s.add_argument("--out", required=True, help="FILE.pdf")
    s.add_argument("--plan", help="the plan whose goals the summary lists (default: the default plan, 2019-2022)")
    s.add_argument("--db")
    s.set_defaults(func=cmd_summary)
