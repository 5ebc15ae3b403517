"""The upload page's plan workbook section (issue 14): template, check, preview, commit; admins only.

The history and rollback of a plan upload are the page's own (kind "plan"), like every other upload.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from twomountains.access import DatabaseBusy, busy_key
from twomountains.ingest import report
from twomountains.plans import template, workbook
from twomountains.ui import session, upload_preview
from twomountains.ui.page_message import Channel
from twomountains.ui.session import tr
from twomountains.ui.uploader import file_uploader

STATE = "upload.plan_workbook"
FILE = "upload.plan_file"      # the uploader's key: the page's message stays with its file too


def _changes_frame(checked: workbook.PlanWorkbook, lang: str) -> pd.DataFrame:
    rows = []
    for change in checked.changes:
        shown = change.new or change.old or {}
        value = shown.get("target_value")
        rows.append({
            tr("plans.upload.col.change"): tr(f"plans.upload.change.{change.kind}"),
            tr("plans.upload.col.item"): tr(f"plans.upload.item.{change.item}"),
            tr("plans.upload.col.key"): change.key,
            tr("plans.upload.col.target"): "" if value is None else f"{value:g}",
            tr("plans.upload.col.target_year"): "" if shown.get("target_year") is None else str(shown["target_year"]),
        })
    return pd.DataFrame(rows)


def section(db, user: dict, message: Channel) -> None:
    """Draw the section; a committed workbook shows on every page at once (the data version moves). The
    outcome of a commit is said on the page's `message` (made with FILE among its keys)."""
    lang = session.language()
    st.subheader(tr("plans.upload.title"))
    if user.get("role") != "admin":
        st.info(tr("plans.upload.admin_only"))
        return
    st.caption(tr("plans.upload.help"))
    buttons = st.columns(3)
    for column, (file_lang, kind) in zip(buttons, (("zh", "csv"), ("en", "csv"), ("zh", "xlsx"))):
        column.download_button(tr(f"plans.upload.template_{file_lang}_{kind}"),
                               lambda file_lang=file_lang, kind=kind: template.template_bytes(db, file_lang, kind),
                               template.template_name(file_lang, kind), icon=":material/download:", on_click="ignore",
                               key=f"plan_template_{file_lang}_{kind}")
    uploaded = file_uploader(tr("plans.upload.file"), FILE, ["csv", "xlsx"])
    if uploaded is None:
        st.session_state.pop(STATE, None)
        return
    data = uploaded.getvalue()
    checked = st.session_state.get(STATE)
    if checked is None or (checked.sha256, checked.file_name) != (workbook.sha256(data), uploaded.name):
        try:
            checked = workbook.check(data, uploaded.name, db)
        except DatabaseBusy as busy:
            st.error(tr(busy_key(busy, "upload.busy")))
            return
        st.session_state[STATE] = checked
    if checked.problems:
        upload_preview.verdict(len(checked.errors), len(checked.warnings), upload_preview.Verdict(
            errors=tr("upload.report.errors", count=len(checked.errors))))
        upload_preview.problems(report.problems_frame(checked.problems, lang), lambda c: tr(f"upload.report.col.{c}"),
                                key="plan_upload.report", wide_message=True)
    if not checked.accepted:
        return
    counts = checked.counts()
    upload_preview.counts(tr("plans.upload.preview", plan=checked.record["code"], inserted=counts["insert"],
                             updated=counts["update"], unchanged=counts["unchanged"], removed=counts["delete"]))
    upload_preview.changes({"": _changes_frame(checked, lang)}, str, key="plan_upload.preview")
    if checked.writes == 0:
        st.info(tr("upload.preview.nothing"))
    elif st.button(tr("plans.upload.commit"), type="primary", icon=":material/cloud_upload:", key="plan_upload.commit"):
        try:
            result = workbook.commit(data, uploaded.name, db, user["name"], previewed=checked)
        except workbook.WorkbookRejected:
            message.say("error", tr("upload.conflict"))
        except DatabaseBusy as busy:
            message.say("error", tr(busy_key(busy, "upload.busy")))
        else:
            message.say("success", tr("upload.committed", upload_id=result.upload_id))
        st.session_state.pop(STATE, None)
        st.rerun()
