"""Upload: analysts log in, upload a file, read the validation report, preview, commit, roll back.

Everything is decided in twomountains.ingest; this page only lays it out. Text that came from the
file (names, values, file name) is shown in tables or escaped, never as Markdown or HTML.
"""

import streamlit as st

from twomountains import roles
from twomountains.access import DatabaseBusy, busy_key, WriteConflict
from twomountains.exports import csv_bytes
from twomountains.ingest import history, pipeline, report, templates
from twomountains.ingest.validate import Options
from twomountains.text import markdown_text
from twomountains.ui import login, page_message, plan_upload_ui, session, upload_preview
from twomountains.ui.session import tr
from twomountains.ui.upload_steps import STEPS, commit_summary, rollback_summary, rollback_text_key, short_list
from twomountains.ui.uploader import file_uploader

lang = session.language()
db = session.db()
# The keys of the file uploader and its option; the page's result message stays with them (and the plan file's).
FILE, CUMULATIVE = "upload.file", "upload.cumulative"
RESULT = page_message.Channel("upload.message", (FILE, CUMULATIVE, plan_upload_ui.FILE))
st.title(tr("upload.title"))
st.caption(tr("upload.intro"))
if getattr(db, "read_only", False):   # a read-only copy ($TWOMOUNTAINS_READ_ONLY): say so before any step
    st.warning(tr("upload.read_only_mode"))
# Every step named from the start, so the analyst knows what comes after choosing a file.
st.markdown(" → ".join(f"**{tr(f'upload.step.{step}')}**" for step in STEPS))

# --- Login -----------------------------------------------------------------------------------------
user = login.user()
if user is None:
    st.subheader(tr("upload.login.title"))
    st.info(tr("upload.login.needed"))
    login.form("upload.login")
    st.stop()

who, leave = st.columns([4, 1], vertical_alignment="center")
who.caption(markdown_text(tr("upload.login.as", name=user["name"], role=tr(f"upload.role.{user['role']}"))))
if leave.button(tr("upload.logout"), icon=":material/logout:"):
    login.log_out()
    for key in ("upload.plan", RESULT.key, plan_upload_ui.STATE):
        st.session_state.pop(key, None)
    st.rerun()

# The outcome of the last commit or rollback stays until the analyst's next action here (page_message).
RESULT.show()



# A confirmation stays open across reruns (AppTest and a full rerun run the page again) until it is
# answered or dismissed: the button that asks sets CONFIRMING, the answer or the dismissal clears it.
CONFIRMING = "upload.confirming"
PICK_NEXT = "upload.pick_next"      # the upload the history shows next (its id), after a commit


def stop_confirming() -> None:
    st.session_state.pop(CONFIRMING, None)


def ask(kind: str, subject=None):
    return lambda: st.session_state.update({CONFIRMING: (kind, subject)})


@st.dialog(tr("upload.confirm.commit_title"), on_dismiss=stop_confirming)
def confirm_commit(plan) -> None:
    """Names what the commit writes, and writes only when confirmed."""
    summary = commit_summary(plan, dict(zip(session.catalog().code, session.catalog()[f"name_{lang}"])))
    st.markdown(tr("upload.confirm.commit_text", file=markdown_text(plan.file_name), added=summary.added,
                   changed=summary.changed, removed=summary.removed))
    if summary.names:
        st.markdown(tr("upload.confirm.touches", names=markdown_text(short_list(summary.names, lang))))
    yes, no = st.columns(2)
    if yes.button(tr("upload.confirm.commit_yes"), type="primary", icon=":material/cloud_upload:",
                  key="upload.confirm.commit"):
        stop_confirming()
        refused = roles.refusal(roles.authorise_upload, user["name"], user["role"], plan.kind)
        try:
            if refused:
                raise refused
            result = pipeline.commit(plan, db, user["name"], previewed=True)
        except roles.Refused as refusal:
            RESULT.say("error", markdown_text(roles.message(refusal, lang)))
        except pipeline.UploadConflict:
            RESULT.say("error", tr("upload.conflict"))
        except pipeline.UploadRejected:
            RESULT.say("error", tr("upload.rejected_after"))
        except WriteConflict:   # another replica committed at the same moment (the lake mode)
            RESULT.say("error", tr("lake.write_conflict"))
        except DatabaseBusy as busy:
            RESULT.say("error", tr(busy_key(busy, "upload.busy")))
        else:
            RESULT.say("success", tr("upload.committed", upload_id=result.upload_id))
            # The history's pick moves to the upload just made (it stayed on the one picked before, so the
            # page offered to roll back an older upload right under the message naming the new one).
            st.session_state[PICK_NEXT] = result.upload_id
        st.session_state.pop("upload.plan", None)
        st.rerun()
    if no.button(tr("upload.confirm.cancel"), key="upload.confirm.commit_cancel"):
        stop_confirming()
        st.rerun()


@st.dialog(tr("upload.confirm.rollback_title"), on_dismiss=stop_confirming)
def confirm_rollback(upload_id: int, revisions) -> None:
    """Names what undoing the upload restores and removes, and undoes it only when confirmed."""
    summary = rollback_summary(revisions, dict(zip(session.catalog().code, session.catalog()[f"name_{lang}"])))
    wording = rollback_text_key(history.upload(db, upload_id)["kind"])
    st.markdown(tr(wording, id=upload_id, restored=summary.changed, removed=summary.removed))
    if summary.names:
        st.markdown(tr("upload.confirm.touches", names=markdown_text(short_list(summary.names, lang))))
    yes, no = st.columns(2)
    if yes.button(tr("upload.confirm.rollback_yes", id=upload_id), type="primary", icon=":material/undo:",
                  key="upload.confirm.rollback"):
        stop_confirming()
        entry = history.upload(db, upload_id)
        try:
            roles.authorise_rollback(user["name"], user["role"], entry["kind"], entry["user_name"])
            done = history.rollback(db, upload_id, user["name"])
        except roles.Refused as refusal:
            RESULT.say("error", markdown_text(roles.message(refusal, lang)))
        except history.RollbackRefused as refused:
            RESULT.say("error", tr(f"upload.rollback.{refused.code}", **report.listed(refused.params, lang)))
        except WriteConflict:
            RESULT.say("error", tr("lake.write_conflict"))
        except DatabaseBusy as busy:
            RESULT.say("error", tr(busy_key(busy, "upload.busy")))
        else:
            RESULT.say("success", tr(
                "upload.rollback.done", upload_id=done.upload_id, rollback_id=done.rollback_id,
                restored=done.restored, removed=done.removed))
        st.session_state.pop("upload.plan", None)
        st.rerun()
    if no.button(tr("upload.confirm.cancel"), key="upload.confirm.rollback_cancel"):
        stop_confirming()
        st.rerun()


# --- 1. Template -----------------------------------------------------------------------------------
st.subheader(tr("upload.step.template"))
st.caption(tr("upload.template_help"))
with db.reading() as cursor:
    template_zh, template_en, template_xlsx = (templates.file_bytes(cursor, "zh"), templates.file_bytes(cursor, "en"),
                                               templates.file_bytes(cursor, "zh", "xlsx"))
buttons = st.columns(3)
buttons[0].download_button(tr("upload.template_zh_csv"), template_zh, templates.file_name("zh"), "text/csv",
                           icon=":material/download:", on_click="ignore")
buttons[1].download_button(tr("upload.template_en_csv"), template_en, templates.file_name("en"), "text/csv",
                           icon=":material/download:", on_click="ignore")
buttons[2].download_button(tr("upload.template_zh_xlsx"), template_xlsx, templates.file_name("zh", "xlsx"),
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", on_click="ignore")
st.caption(tr("upload.template_points_help"))
with db.reading() as cursor:
    points_zh, points_en = templates.points_file_bytes(cursor, "zh"), templates.points_file_bytes(cursor, "en")
point_buttons = st.columns(3)
point_buttons[0].download_button(tr("upload.template_points_zh"), points_zh, templates.points_file_name("zh"),
                                 "text/csv", icon=":material/download:", on_click="ignore")
point_buttons[1].download_button(tr("upload.template_points_en"), points_en, templates.points_file_name("en"),
                                 "text/csv", icon=":material/download:", on_click="ignore")

# --- 2. Upload and check ---------------------------------------------------------------------------
st.subheader(tr("upload.step.upload"))
cumulative = st.checkbox(tr("upload.cumulative"), key=CUMULATIVE, help=tr("upload.cumulative_help"))
uploaded = file_uploader(tr("upload.file"), FILE, ["csv", "xlsx"], help=tr("upload.file_help"))
if uploaded is None:
    st.session_state.pop("upload.plan", None)
    # Steps 3 and 4 are there from the start, saying what they wait for.
    st.subheader(tr("upload.step.preview"))
    st.caption(tr("upload.waiting.file"))
    st.subheader(tr("upload.step.commit"))
    st.caption(tr("upload.waiting.file"))
else:
    data = uploaded.getvalue()
    plan = st.session_state.get("upload.plan")
    if plan is None or (plan.sha256, plan.file_name, plan.options.cumulative) != (
            pipeline.sha256(data), uploaded.name, cumulative):
        try:
            plan = pipeline.check(data, uploaded.name, db, Options(cumulative=cumulative))
        except DatabaseBusy as busy:
            st.error(tr(busy_key(busy, "upload.busy")))
            st.stop()
        except Exception as failure:  # never a traceback for a file: say what happened
            st.error(tr("upload.internal_error", error=type(failure).__name__))
            st.stop()
        st.session_state["upload.plan"] = plan
    layout = tr(f"upload.layout.{plan.layout}") if plan.layout else "—"
    st.caption(markdown_text(tr("upload.found", file=plan.file_name, encoding=plan.encoding or "—", layout=layout,
                                newline=plan.newline or "—", sha=plan.sha256[:16] + "…")))
    if plan.sheet_name:
        st.caption(markdown_text(tr("upload.found_sheet", sheet=plan.sheet_name)))

    st.markdown(f"**{tr('upload.report.title')}**")
    upload_preview.verdict(len(plan.errors), len(plan.warnings), upload_preview.Verdict(
        errors=tr("upload.report.errors", count=len(plan.errors)),
        warnings=tr("upload.report.warnings", count=len(plan.warnings)), clean=tr("upload.report.clean")))
    if plan.problems:
        # Errors first (report.problems_frame); rows tall enough for the message to wrap onto three lines.
        upload_preview.problems(report.problems_frame(plan.problems, lang), lambda c: tr(f"upload.report.col.{c}"),
                                key="upload.report", tall_rows=True)
        upload_preview.download(tr("upload.report.download"),
                                csv_bytes(report.report_for_download(plan.problems, lang)),
                                f"{plan.file_name}.report.csv")

    # --- 3. Preview --------------------------------------------------------------------------------
    if plan.accepted:
        st.subheader(tr("upload.step.preview"))
        counts = {**plan.counts, "delete": plan.removed}
        counts_key = {"catalog": "upload.preview.catalog_counts", "points": "upload.preview.points_counts"}
        upload_preview.counts(tr(counts_key.get(plan.kind, "upload.preview.counts"), rows=plan.rows,
                                 inserted=counts["insert"], updated=counts["update"], unchanged=counts["unchanged"],
                                 removed=plan.removed))
        catalog, regions = session.catalog(), session.upload_regions()
        kinds = {"insert": "upload.preview.new", "update": "upload.preview.changed",
                 "unchanged": "upload.preview.unchanged"}
        if plan.kind == "points":  # a points file replaces the list: the points it leaves out are removed
            kinds["delete"] = "upload.preview.removed"
        upload_preview.changes_by_kind(counts, kinds, lambda kind: report.changes_frame(
            plan, catalog, regions, lang, kinds=(kind,)), lambda c: tr(f"upload.col.{c}"))
        if plan.statuses:
            st.markdown(f"**{tr('upload.preview.statuses', year=plan.statuses[0].as_of)}**")
            statuses = report.statuses_frame(plan, catalog, session.statuses(), lang)
            st.dataframe(statuses, hide_index=True, width="stretch",
                         column_config={c: tr(f"upload.col.{c}") for c in statuses.columns})
        else:
            st.caption(tr("upload.preview.no_status"))

        # --- 4. Commit -----------------------------------------------------------------------------
        st.subheader(tr("upload.step.commit"))
        refusal = roles.refusal(roles.authorise_upload, user["name"], user["role"], plan.kind)
        if plan.writes == 0:
            st.info(tr("upload.preview.nothing"))
        elif refusal:
            st.error(markdown_text(roles.message(refusal, lang)), icon=":material/lock:")
        else:
            st.button(tr("upload.commit"), type="primary", icon=":material/cloud_upload:", help=tr("upload.commit_help"),
                      on_click=ask("commit"))
    else:
        st.subheader(tr("upload.step.preview"))
        st.caption(tr("upload.waiting.fix_errors"))
        st.subheader(tr("upload.step.commit"))
        st.caption(tr("upload.waiting.fix_errors"))

# --- A plan workbook (admins; issue 14) --------------------------------------------------------------
plan_upload_ui.section(db, user, RESULT)

# --- 5. History and rollback -----------------------------------------------------------------------
st.subheader(tr("upload.step.history"))
uploads = history.uploads(db)
if uploads.empty:
    st.caption(tr("upload.history.empty"))
else:
    table = report.history_frame(uploads, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="upload.history",
                 column_config={c: tr(f"upload.history.col.{c}") for c in table.columns})
    upload_ids = uploads.id.astype(int).tolist()
    if st.session_state.get(PICK_NEXT) in upload_ids:   # set by a commit (a widget's value is set before it is drawn)
        st.session_state["upload.chosen"] = st.session_state.pop(PICK_NEXT)
    chosen = st.selectbox(tr("upload.history.choose"), upload_ids, key="upload.chosen")
    st.markdown(f"**{tr('upload.history.revisions', id=chosen)}**")
    revisions = report.revisions_frame(history.revisions(db, chosen), lang, session.catalog(),
                                       session.upload_regions())
    st.dataframe(revisions, hide_index=True, width="stretch",
                 column_config={c: tr(f"upload.rev.col.{c}") for c in revisions.columns})
    entry = uploads[uploads.id == chosen].iloc[0]
    refusal = roles.refusal(roles.authorise_rollback, user["name"], user["role"], entry.kind, entry.user_name)
    if chosen in report.rollback_candidates(uploads) and refusal:
        st.error(markdown_text(roles.message(refusal, lang)), icon=":material/lock:")
    elif chosen in report.rollback_candidates(uploads):
        st.caption(tr("upload.rollback.confirm"))
        st.button(tr("upload.rollback.button", id=chosen), icon=":material/undo:", on_click=ask("rollback", chosen))

# --- The open confirmation, if any -------------------------------------------------------------------
confirming = st.session_state.get(CONFIRMING)
plan = st.session_state.get("upload.plan")
if confirming and confirming[0] == "commit" and plan is not None and plan.accepted and plan.writes:
    confirm_commit(plan)
elif confirming and confirming[0] == "rollback" and confirming[1] in report.rollback_candidates(history.uploads(db)):
    confirm_rollback(confirming[1], history.revisions(db, confirming[1]))
else:
    stop_confirming()
