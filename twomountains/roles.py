"""Who may change what: one decision for the upload page, the reporting page and the command line.

- analyst: uploads values (observations) and monthly task reports, and rolls back their own uploads
  of those kinds;
- admin: everything an analyst may, and uploads the indicator catalog (targets, names, definitions,
  the plan clauses indicators belong to), uploads the map's points (a points file replaces the list of
  designated villages and sites: reference data, like the catalog), rolls back anyone's upload, and
  adds accounts.

Every refusal names the action and the role it needs (Refused; message()). With no accounts file the
command line trusts whoever may write the database file (docs/data-formats.md, Accounts) and acts as
admin; the pages always need a login.
"""
from __future__ import annotations

from twomountains.i18n import t

ANALYST, ADMIN = "analyst", "admin"
RANK = {ANALYST: 1, ADMIN: 2}

# What each upload kind (uploads.kind, or the task reports' own history) needs to be written.
UPLOAD_NEEDS = {"observations": ANALYST, "task_reports": ANALYST, "catalog": ADMIN, "points": ADMIN, "plan": ADMIN}
ACCOUNTS_NEED = ADMIN
OTHERS_ROLLBACK_NEEDS = ADMIN


class Refused(Exception):
    """`action` (roles.action.<action>) needs `needed`; `name` has `role`. `params` fill the action's text."""

    def __init__(self, action: str, needed: str, name: str, role: str, params: dict | None = None):
        super().__init__(f"{action} needs {needed}")
        self.action, self.needed, self.name, self.role, self.params = action, needed, name, role, params or {}


def _require(name: str, role: str, action: str, needed: str, **params) -> None:
    if RANK.get(role, 0) < RANK[needed]:
        raise Refused(action, needed, name, role, params)


def authorise_upload(name: str, role: str, kind: str) -> None:
    """Writing an upload of `kind` (observations, catalog, points, task_reports)."""
    _require(name, role, f"upload.{kind}", UPLOAD_NEEDS.get(kind, ADMIN))


def authorise_rollback(name: str, role: str, kind: str, owner: str) -> None:
    """Rolling back an upload of `kind` made by `owner`: one's own needs what uploading it needs."""
    if owner != name:
        _require(name, role, "rollback.others", OTHERS_ROLLBACK_NEEDS, owner=owner)
    authorise_upload(name, role, kind)


def authorise_accounts(name: str, role: str) -> None:
    _require(name, role, "accounts", ACCOUNTS_NEED)


def refusal(check, *args) -> Refused | None:
    """The refusal `check(*args)` (one of the authorise functions) raises, or None: for a page that shows
    the reason in place of the button."""
    try:
        check(*args)
    except Refused as refused:
        return refused
    return None


def message(refused: Refused, lang: str) -> str:
    """'Uploading the indicator catalog needs the administrator role; ana is analyst. …'"""
    return t("roles.refused", lang, action=t(f"roles.action.{refused.action}", lang, **refused.params),
             needed=t(f"upload.role.{refused.needed}", lang), name=refused.name,
             role=t(f"upload.role.{refused.role}", lang) if refused.role in RANK else refused.role)
