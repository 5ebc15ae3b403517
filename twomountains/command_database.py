"""The database a command works on: the one it names (--db, else $TWOMOUNTAINS_DB), or a message saying there
is none. Shared by the command lines (twomountains.cli, forum.commands, tasks.__main__)."""
from __future__ import annotations

import sys

from twomountains import access
from twomountains.i18n import t
from twomountains.paths import db_path


def existing(path_arg, lang: str) -> access.Database | access.LakeDatabase | None:
    """The named database; None, having said on stderr that there is no such file, when it does not exist."""
    path = db_path(path_arg)
    if not path.exists():
        print(t("cli.no_database", lang, path=path), file=sys.stderr)
        return None
    return access.database(path)
