"""Key tasks and accountability (issue 6): who leads what, monthly reports, compliance, the half-year report.

One job per module, all pure Python over data frames except where named:
- book: the tasks, their units, indicator links, milestones and reports, read from data/ or the database
- rules: the reporting rules of the plan's section 三 (months, deadline, who owes what) and the compliance grid
- progress: each task's latest status and percent from its units' reports
- views: what the tasks page, a department's view and the half-year summary show
- document: the half-year report as a Word document, in Chinese or English
- demo: the seeded demo monthly reports (data/tasks/reports_demo.csv)
- ingest: a report file or form entry checked row by row (problems with row, column, value, what to do)
- store: the one transaction that writes reports, their revisions and the history; rollback (database)
"""
