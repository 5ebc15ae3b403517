"""Analysts' uploads: one straight pipeline, read -> layout -> normalise -> check -> diff -> commit / rollback.

`STAGES` lists the modules in pipeline order; a module imports only modules listed before it
(tests/test_ingest_shape.py checks the import graph, imports inside functions included), so data flows
one way and there is no import cycle. docs/architecture.md draws the pipeline.

- vocabulary (used by every stage, importing none):
  kinds (each kind of file as data: data/ingest/kinds.csv and kind_fields.csv), field_checks (each kind's
  checks of its cells as data: data/ingest/field_checks.csv, the functions registered by the kind's module),
  problems (a problem: row, column, value, what to do), numbers (value text to a number), headers
  (header cells to fields, synonyms in data/ingest/headers.csv), point_headers (a points file's headers),
  cumulative (year-to-date periods), lookup (indicators, regions with the 2020 reform, units),
  accounts (analyst accounts and logins)
- read: reading (bytes of a CSV or .xlsx file to rows of text with spreadsheet row numbers and the
  encoding used), reading_arrow (a large plain long CSV file as Arrow columns, the same cells), reading_parts
  (a larger one a part at a time, from disk or from its bytes, the same cells)
- layout: the header row, the layout (long, wide, catalog, points)
- normalise: an observation file's records as columns, each text read once per distinct text
- check: validate (the row-by-row reference, and the year-to-date split), series_parts (a file read in parts:
  its records on disk by indicator, so each part holds whole series for the checks), observation_checks (each check
  of an observation file's records as a mask over the columns, registered by name), check (runs the checks
  data/ingest/field_checks.csv declares, in its order)
- diff: diff (new, changed, unchanged as set operations; the series warnings), changes (the row-by-row
  reference), impact (the affected goals' statuses before and after)
- commit / rollback: history_migration (an older database's separate report history moved into the
  shared one), store (set statements inside the one transaction), catalog and points (the other kinds of
  file), history (the one upload history and rollback of every kind, data/ingest/kinds.csv)
- run: pipeline (check a file, then commit it: the page and the command line both call this), report
  (problems and changes as tables and JSON), templates, commands (the command line)
"""

STAGES = [
    ("vocabulary", ["kinds", "field_checks", "problems", "numbers", "headers", "point_headers", "cumulative", "lookup", "accounts"]),
    ("read", ["encodings", "controls", "reading", "reading_arrow", "reading_parts"]),
    ("layout", ["layout"]),
    ("normalise", ["normalise"]),
    ("check", ["validate", "series_parts", "observation_checks", "check"]),
    ("diff", ["changes", "diff", "impact"]),
    ("commit", ["history_migration", "store", "catalog", "points", "history"]),
    ("run", ["pipeline", "report", "templates", "commands"]),
]
