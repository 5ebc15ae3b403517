"""Monthly reporting: who reported, late or not at all (units × months); uploads, form entry, history, rollback."""
import streamlit as st

from twomountains import roles
from twomountains.access import DatabaseBusy, busy_key, WriteConflict
from twomountains.exports import csv_bytes
from twomountains.tasks import ingest, rules, store, views
from twomountains.text import markdown_text
from twomountains.ui import page_message, session, upload_preview
from twomountains.ui import tasks_ui as ui
from twomountains.ui.layout import on_desk, on_phone
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url
from twomountains.ui.uploader import file_uploader

lang = session.language()
db = session.db()
book = session.task_book()
months = rules.reporting_months()
halves = [f"{year}H{half}" for year, half in reversed(rules.half_years())]
# The keys of the report uploader and of the form's task and unit; the page's result message stays with them.
FILE, TASK, UNIT = "reporting.file", "reporting.form.task", "reporting.form.unit"
RESULT = page_message.Channel("reporting.message", (FILE, TASK, UNIT))

st.title(tr("tasks.rep.title"))
if getattr(db, "read_only", False):   # a read-only copy ($TWOMOUNTAINS_READ_ONLY): say so before any step
    st.warning(tr("upload.read_only_mode"))
st.caption(tr("tasks.rep.rule", first=str(rules.FIRST_MONTH), last=str(rules.LAST_MONTH), day=rules.DUE_DAY))
# Half a year at a time: the office reports to the leadership every half year, and six months fit the screen.
half_labels = {h: tr(f"tasks.half.{h[-1]}", year=h[:4]) for h in halves}
adopt_from_url("half", halves, key="reporting.half")
chosen = st.selectbox(tr("tasks.half.choose"), halves, key="reporting.half", format_func=half_labels.get)
publish_to_url("half", chosen)
in_half = rules.half_year_months(int(chosen[:4]), int(chosen[-1]))
table = rules.compliance(book.units, book.reports, in_half, ingest.today())

st.subheader(tr("tasks.rep.grid"))
grid = rules.worst_first(rules.grid(table))  # the units to chase first at the top
unit_order = grid.index.tolist()
grid.index = [ui.grid_unit_name(c) for c in grid.index]
grid.columns = [tr(f"tasks.month.{int(c[-2:])}") for c in grid.columns]
# The unit names are long in English: their column as wide as they need up to the months' share (tasks_ui).
names = ui.unit_table(grid.index)
with on_desk("reporting_grid"):
    st.dataframe(ui.styled_grid(grid), width="stretch", height=names.height, row_height=names.row_height,
                 column_config={"_index": names.column})
# A phone showed a month or two of the grid beside the names: there, one month at a time, picked above it.
with on_phone("reporting_month"):
    shown_month = st.segmented_control(tr("tasks.rep.phone_month"), list(grid.columns), key="reporting.phone_month",
                                       default=ui.latest_due_column(grid), required=True)
    one_month = rules.worst_first(grid[[shown_month]])
    phone = ui.phone_unit_table(one_month.index)
    st.dataframe(ui.styled_grid(one_month), width="stretch", height=phone.height, row_height=phone.row_height,
                 column_config={"_index": phone.column, shown_month: st.column_config.TextColumn(
                     width=ui.PHONE_CELL_WIDTH)})
st.caption(tr("tasks.rep.legend") + " " + " · ".join(ui.cell_label(s) for s in rules.CELL_STATUSES))
if (book.reports[book.reports.month.isin([str(m) for m in in_half])].quality == "demo").any():
    st.caption(f"{ui.quality_badge('demo')} {tr('tasks.rep.demo_note')}")

st.subheader(tr("tasks.rep.totals", period=half_labels[chosen]))
totals = rules.unit_totals(table).set_index("unit_code").loc[unit_order].reset_index()  # as the grid
totals = totals.assign(unit_code=totals.unit_code.map(ui.grid_unit_name), on_time_share=totals.on_time_share * 100)
names = ui.unit_table(totals.unit_code, tr("tasks.col.unit"))   # the names as in the grid above
counts = totals[["unit_code", "months", "reported", "late", "partial", "missing", "on_time_share"]]
counts_config = {
    "months": tr("tasks.col.months"), "reported": tr("tasks.col.reported"), "late": tr("tasks.col.late"),
    "partial": tr("tasks.col.partial"), "missing": tr("tasks.col.missing"),
    "on_time_share": st.column_config.NumberColumn(tr("tasks.col.on_time_share"), format="%.0f%%")}
with on_desk("reporting_totals"):
    st.dataframe(counts, hide_index=True, width="stretch", height=names.height, row_height=names.row_height,
                 placeholder="—", column_config={"unit_code": names.column, **counts_config})
# On a phone the names' column (300 px) left the counts off to the right, a table of names beside empty cells:
# there the names keep the phone's narrower column, pinned while the counts scroll past them, under a hint.
with on_phone("reporting_totals"):
    st.caption(tr("review23.sideways.columns"))
    phone = ui.phone_unit_table(totals.unit_code, tr("tasks.col.unit"), pinned=True)
    st.dataframe(counts, hide_index=True, width="stretch", height=phone.height, row_height=phone.row_height,
                 placeholder="—", column_config={"unit_code": phone.column, **counts_config})

st.header(tr("tasks.rep.input"))
user = ui.analyst_user()
if user is not None:
    # The outcome of the last upload, entry or rollback stays until the next action here (page_message).
    RESULT.show()

    def stored(keys):
        return store.current_for(db, keys)

    def show_problems(check):
        frame = ingest.problems_table(check, lang)
        frame["severity"] = frame.severity.map(lambda s: tr(f"tasks.prob.severity.{s}"))
        upload_preview.problems(frame, lambda c: tr(f"tasks.prob.col.{c}"))
        return frame

    CHANGE_TABS = {"insert": "tasks.preview.new", "update": "tasks.preview.changed",
                   "unchanged": "tasks.preview.unchanged"}

    def report_changes(check, kind):
        frame = views.report_changes(check.changes, book, lang, kinds=(kind,))
        for column in ("old_status", "new_status"):
            frame[column] = frame[column].map(lambda s: tr(f"tasks.report_status.{s}") if isinstance(s, str) else None)
        return frame

    def show_verdict(check, errors_key):
        # Errors: only the errors' banner (the table lists the warnings too); else the warnings' banner.
        upload_preview.verdict(len(check.errors), len(check.warnings), upload_preview.Verdict(
            errors=tr(errors_key, count=len(check.errors)), warnings=tr("tasks.up.warnings", count=len(check.warnings)),
            warnings_beside_errors=False, icons=False))

    upload_tab, form_tab, history_tab = st.tabs(
        [tr("tasks.rep.tab.upload"), tr("tasks.rep.tab.form"), tr("tasks.rep.tab.history")])

    with upload_tab:
        st.caption(tr("tasks.up.help"))
        left, right = st.columns(2)
        for container, target, key in ((left, lang, "tasks.up.template"),
                                       (right, "en" if lang == "zh" else "zh", "tasks.up.template_other")):
            container.download_button(tr(key), data=csv_bytes(ingest.template(target)), icon=":material/download:",
                                      file_name=f"monthly-report-template-{target}.csv", mime="text/csv",
                                      on_click="ignore", key=f"reporting.template.{target}")
        uploaded = file_uploader(tr("tasks.up.file"), FILE, ["csv", "xlsx"])
        if uploaded is not None:
            check = ingest.check_file(uploaded.getvalue(), uploaded.name, book, stored, ingest.today())
            if check.file_type:
                st.caption(tr("tasks.up.found", file_type=check.file_type, encoding=check.encoding or "—",
                              rows=len(check.rows) + len({x.row for x in check.errors if x.row})))
            show_verdict(check, "tasks.up.errors")
            if check.errors:
                frame = show_problems(check)
                upload_preview.download(tr("tasks.up.problems_download"), csv_bytes(frame), "problems.csv",
                                        key="reporting.problems")
            else:
                if check.warnings:
                    show_problems(check)
                upload_preview.counts(tr("tasks.up.preview", **check.counts()), boxed=True)
                upload_preview.changes_by_kind(check.counts(), CHANGE_TABS, lambda kind: report_changes(check, kind),
                                               lambda c: tr(f"tasks.preview.col.{c}"))
                refusal = roles.refusal(roles.authorise_upload, user["name"], user["role"], "task_reports")
                if refusal:
                    st.error(markdown_text(roles.message(refusal, lang)), icon=":material/lock:")
                elif st.button(tr("tasks.up.commit"), type="primary", key="reporting.commit"):
                    try:
                        written = store.commit(db, check, user["name"], kind="file")
                        RESULT.say("success", tr(
                            "tasks.up.done", inserted=written.inserted, updated=written.updated, id=written.upload_id)
                            if written.upload_id else tr("tasks.up.nothing"))
                    except store.ReportConflict:
                        RESULT.say("error", tr("tasks.up.conflict"))
                    except WriteConflict:
                        RESULT.say("error", tr("lake.write_conflict"))
                    except DatabaseBusy as busy:
                        RESULT.say("error", tr(busy_key(busy, "tasks.up.busy")))
                    st.rerun()

    with form_tab:
        tasks = book.tasks.set_index("code")
        task_labels = {code: ui.task_label(tasks.loc[code]) for code in tasks.index}
        unit_labels = {code: ui.unit_name(code) for code in book.reporting_units()}
        status_labels = {s: tr(f"tasks.report_status.{s}") for s in ("in_progress", "done", "delayed", "not_started")}
        task = st.selectbox(tr("tasks.field.task"), tasks.index.tolist(), key=TASK,
                            format_func=task_labels.get)
        members = book.units[book.units.task_code == task].unit_code.tolist()
        unit = st.selectbox(tr("tasks.field.unit"), members, key=UNIT, format_func=unit_labels.get)
        owed = [str(m) for m in reversed(months) if m.start_date <= ingest.today()]
        with st.form("reporting.form", clear_on_submit=False):
            month = st.selectbox(tr("tasks.field.month"), owed, key="reporting.form.month")
            status = st.selectbox(tr("tasks.field.status"), list(status_labels), key="reporting.form.status",
                                  format_func=status_labels.get)
            percent = st.number_input(tr("tasks.field.percent_complete"), 0, 100, 50, key="reporting.form.percent")
            done = st.text_area(tr("tasks.field.done"), key="reporting.form.done", max_chars=ingest.MAX_TEXT)
            problems = st.text_area(tr("tasks.field.problems"), key="reporting.form.problems", max_chars=ingest.MAX_TEXT)
            next_step = st.text_area(tr("tasks.field.next_step"), key="reporting.form.next_step", max_chars=ingest.MAX_TEXT)
            submitted = st.form_submit_button(tr("tasks.form.submit"), type="primary")
        if submitted:
            entry = {"task": task, "unit": unit, "month": month, "status": status, "percent_complete": str(percent),
                     "done": done, "problems": problems, "next_step": next_step}
            check = ingest.check_form(entry, book, stored, ingest.today())
            if check.errors:
                show_verdict(check, "tasks.form.errors")
                show_problems(check)
            else:
                try:
                    written = store.commit(db, check, user["name"], kind="form")
                    RESULT.say("success", tr("tasks.form.saved", id=written.upload_id)
                               if written.upload_id else tr("tasks.up.nothing"))
                except WriteConflict:
                    RESULT.say("error", tr("lake.write_conflict"))
                except (store.ReportConflict, DatabaseBusy) as busy:
                    RESULT.say("error", tr(busy_key(busy, "tasks.up.busy")))
                st.rerun()

    with history_tab:
        history = store.history(db)
        if history.empty:
            st.info(tr("tasks.hist.empty"))
        else:
            shown = history.assign(kind=history.kind.map(lambda k: tr(f"tasks.hist.kind.{k}")))
            columns = ["id", "kind", "user_name", "created_at", "file_name", "rows", "inserted", "updated",
                       "unchanged", "rolls_back", "rolled_back_by"]
            st.dataframe(shown[columns], hide_index=True, width="stretch",
                         column_config={c: tr(f"tasks.hist.col.{c}") for c in columns})
            undoable = history[(history.kind != "rollback") & history.rolled_back_by.isna()].id.astype(int).tolist()
            if undoable:
                chosen = st.selectbox(tr("tasks.hist.choose"), undoable, key="reporting.rollback.id")
                owner = history[history.id == chosen].user_name.iloc[0]
                refusal = roles.refusal(roles.authorise_rollback, user["name"], user["role"], "task_reports", owner)
                if refusal:
                    st.error(markdown_text(roles.message(refusal, lang)), icon=":material/lock:")
                elif st.button(tr("tasks.hist.rollback"), key="reporting.rollback"):
                    try:
                        rollback_id = store.rollback(db, chosen, user["name"])
                        RESULT.say("success", tr("tasks.hist.rolled_back", id=chosen, rollback=rollback_id))
                    except store.RollbackRefused as refused:
                        RESULT.say("error", tr(f"tasks.rollback.{refused.code}", **refused.params))
                    except WriteConflict:
                        RESULT.say("error", tr("lake.write_conflict"))
                    except DatabaseBusy as busy:
                        RESULT.say("error", tr(busy_key(busy, "tasks.up.busy")))
                    st.rerun()
