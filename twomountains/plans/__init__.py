"""Plans (issue 14): every plan the base works under, as data, on the same dashboard.

A plan is a record (data/catalog/plans.csv) and its goals are targets keyed by plan and indicator.
The 2019-2022 base plan's targets are the target columns of data/catalog/indicators.csv, as they were
before plans became data; a later plan's targets are rows of data/catalog/plan_targets.csv, and an
indicator only later plans track is defined in data/catalog/plan_indicators.csv (no base-plan target).
Indicators and observations are shared by every plan.

One job per module:
- records: the three files' schemas and reading them (with their cross-references)
- goals: a plan's goals in the shape of the indicator catalog, an indicator's targets across plans (pure)
- store: the plan tables in the database, for a database built before they existed too
- workbook: a plan workbook (record + targets, CSV/Excel, zh/en headers) checked, previewed, committed
"""
