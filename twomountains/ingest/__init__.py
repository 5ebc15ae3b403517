"""Analysts' uploads: reading spreadsheets, checking every value, previewing, committing, undoing.

One job per module:
- reading: bytes of a CSV or .xlsx file to rows of text with spreadsheet row numbers and the encoding used
- headers: header cells to fields (synonyms in data/ingest/headers.csv)
- layout: the header row, the layout (long, wide or catalog) and one raw record per value
- numbers: value text to a number (full-width digits, thousands separators, a trailing %)
- lookup: indicators, regions (old townships to their successors) and units as the database knows them
- cumulative: year-to-date totals to single periods
- validate: every record checked, problems named by row, column and value
- changes: what a file would change in the database (new, changed, unchanged)
- impact: the affected goals' statuses before and after
- store: the one transaction that writes an upload, its revisions and the history
- history: the upload history and rollback
- catalog: uploads of the indicator catalog itself
- points: uploads of the rural-tourism points file (the complete new list of the map's villages and points)
- accounts: analyst accounts (bcrypt) and limited, logged login attempts
- templates: the template file with the catalog's codes, names and units
- report: problems and changes as tables and as the JSON object of the command line
- pipeline: check a file, then commit it (the page and the command line both call this)
"""
