-- Tables of the dashboard's database. Built from data/ by `python -m twomountains build-db`.
CREATE TABLE units (code VARCHAR PRIMARY KEY, symbol_zh VARCHAR, symbol_en VARCHAR,
                    min_value DOUBLE, max_value DOUBLE, decimals INTEGER,
                    style VARCHAR, base_multiplier DOUBLE, base_en VARCHAR);
CREATE TABLE goal_groups (code VARCHAR PRIMARY KEY, "order" INTEGER, name_zh VARCHAR, name_en VARCHAR);
CREATE TABLE categories (code VARCHAR PRIMARY KEY, "order" INTEGER, name_zh VARCHAR, name_en VARCHAR);
CREATE TABLE statuses (code VARCHAR PRIMARY KEY, "order" INTEGER, name_zh VARCHAR, name_en VARCHAR,
                       icon VARCHAR, color VARCHAR, badge VARCHAR, is_lagging BOOLEAN);
CREATE TABLE departments (code VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR,
                          short_zh VARCHAR, kind VARCHAR);
CREATE TABLE regions (code VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, level VARCHAR,
                      parent_code VARCHAR, valid_from DATE, valid_to DATE, successor_code VARCHAR,
                      lat DOUBLE, lon DOUBLE, coord_source VARCHAR);
CREATE TABLE sources (code VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, publisher VARCHAR,
                      published_on VARCHAR, url VARCHAR);
CREATE TABLE indicators (code VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, unit VARCHAR,
                         goal_group VARCHAR, category VARCHAR, target_type VARCHAR, direction INTEGER,
                         target_value DOUBLE, base_year INTEGER, target_year INTEGER,
                         aggregation VARCHAR, plan_clause VARCHAR, lead_units VARCHAR,
                         definition_zh VARCHAR, definition_en VARCHAR,
                         reading_zh VARCHAR, reading_en VARCHAR,
                         year_on_year BOOLEAN);
CREATE TABLE observations (
    indicator_code VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,          -- 2025, 2025Q3 or 2025-09
    period_kind VARCHAR NOT NULL,     -- Y, Q or M
    year INTEGER NOT NULL,
    quarter INTEGER,
    month INTEGER,
    value DOUBLE NOT NULL,
    source VARCHAR NOT NULL,
    quality VARCHAR NOT NULL,         -- published, demo or reported
    note VARCHAR,
    PRIMARY KEY (indicator_code, region_code, period)
);
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- Rural-tourism demonstration villages/points and boutique routes (the map), from
-- data/rural_tourism_points.csv and _routes.csv. A points upload replaces the whole list of points;
-- routes come from data/ only. A database built before these tables existed gets them from data/
-- (rural_tourism.ensure_tables) inside the first points upload; until then pages read the files.
CREATE TABLE rural_tourism_points (id VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
                                   township_code VARCHAR NOT NULL, lat DOUBLE NOT NULL, lon DOUBLE NOT NULL,
                                   coord_quality VARCHAR NOT NULL,   -- published or approximate
                                   type VARCHAR NOT NULL,            -- village or point
                                   year_designated INTEGER NOT NULL,
                                   route VARCHAR,                    -- the route that lists it, if any
                                   source VARCHAR NOT NULL,
                                   quality VARCHAR NOT NULL);        -- published, reported or demo
CREATE TABLE rural_tourism_routes (id VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
                                   point_ids VARCHAR NOT NULL,       -- P018;P010;P004 in travel order
                                   year_completed INTEGER NOT NULL,
                                   source VARCHAR NOT NULL, quality VARCHAR NOT NULL);

-- Uploads by analysts (issue 4): every upload and rollback, and each value's revisions, so that an
-- upload can be traced and undone. IF NOT EXISTS: ingest also creates them in a database built before.
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,            -- observations, catalog, points, plan, task_reports or rollback (data/ingest/kinds.csv)
    user_name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,    -- UTC
    file_name VARCHAR,
    sha256 VARCHAR,
    encoding VARCHAR,
    layout VARCHAR,                   -- long, wide, catalog or rural_tourism_points; file or form (task_reports)
    options VARCHAR,                  -- JSON: cumulative and the like
    rows INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    rolls_back INTEGER,               -- for a rollback: the upload it undid
    rolled_back_by INTEGER            -- for an upload: the rollback that undid it
);
CREATE TABLE IF NOT EXISTS observation_revisions (
    upload_id INTEGER NOT NULL,
    indicator_code VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    action VARCHAR NOT NULL,          -- insert, update or delete
    old_value DOUBLE, old_source VARCHAR, old_quality VARCHAR, old_note VARCHAR,
    new_value DOUBLE, new_source VARCHAR, new_quality VARCHAR, new_note VARCHAR
);
-- No PRIMARY KEY on observation_revisions: an upload's keys are unique already (the check rejects a file
-- that names a value twice), every reader filters by upload or by value with a scan (zone maps on upload_id,
-- which only grows), and the key's index cost more than writing the rows (a million revisions: ~1 s to
-- insert, and the index rewritten at every checkpoint). A database made with the key has it taken off on
-- its first open able to write (ingest/history_migration.py, unkey_revisions).
CREATE TABLE IF NOT EXISTS point_revisions (
    upload_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,              -- the point's id (P001)
    action VARCHAR NOT NULL,          -- insert, update or delete
    old_record VARCHAR,               -- JSON of the rural_tourism_points row before (NULL for insert)
    new_record VARCHAR,               -- JSON of the row after (NULL for delete)
    PRIMARY KEY (upload_id, id)
);
CREATE TABLE IF NOT EXISTS catalog_revisions (
    upload_id INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    action VARCHAR NOT NULL,          -- insert, update or delete
    old_record VARCHAR,               -- JSON of the indicators row before
    new_record VARCHAR,               -- JSON of the indicators row after
    PRIMARY KEY (upload_id, code)
);

-- Key tasks and monthly reports (issue 6): the plan's part 二 from data/tasks/, the units' monthly
-- reports (demo ones from data/tasks/reports_demo.csv, reported ones from uploads and the form),
-- and each report's revisions, so every upload can be undone. A report upload or form entry is an entry of
-- the shared history `uploads` (kind task_reports, layout file or form), like every other kind of upload.
CREATE TABLE task_sections (code VARCHAR PRIMARY KEY, "order" INTEGER, number VARCHAR,
                            title_zh VARCHAR, title_en VARCHAR);
CREATE TABLE tasks (code VARCHAR PRIMARY KEY, section VARCHAR NOT NULL, number INTEGER NOT NULL,
                    clause VARCHAR NOT NULL, title_zh VARCHAR, title_en VARCHAR,
                    description_zh VARCHAR, description_en VARCHAR,
                    lead_units VARCHAR, responsible_units VARCHAR);
CREATE TABLE task_units (task_code VARCHAR NOT NULL, unit_code VARCHAR NOT NULL,
                         role VARCHAR NOT NULL,          -- lead or responsible
                         position INTEGER NOT NULL,      -- order in the plan's list
                         PRIMARY KEY (task_code, unit_code));
CREATE TABLE task_indicators (task_code VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL,
                              PRIMARY KEY (task_code, indicator_code));
CREATE TABLE task_milestones (code VARCHAR PRIMARY KEY, task_code VARCHAR NOT NULL,
                              indicator_code VARCHAR NOT NULL, plan_text VARCHAR,
                              name_zh VARCHAR, name_en VARCHAR);
CREATE TABLE task_reports (
    task_code VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    month VARCHAR NOT NULL,           -- 2021-03
    status VARCHAR NOT NULL,          -- not_started, in_progress, done or delayed
    percent_complete DOUBLE NOT NULL,
    done_zh VARCHAR, done_en VARCHAR, -- free text as the unit wrote it, in its language
    problems_zh VARCHAR, problems_en VARCHAR,
    next_step_zh VARCHAR, next_step_en VARCHAR,
    submitted_on DATE NOT NULL,       -- when the office received it (decides on time or late)
    quality VARCHAR NOT NULL,         -- demo or reported
    upload_id INTEGER,                -- the upload or form entry that wrote it last
    PRIMARY KEY (task_code, unit_code, month)
);
CREATE TABLE task_report_revisions (
    upload_id INTEGER NOT NULL,
    task_code VARCHAR NOT NULL,
    unit_code VARCHAR NOT NULL,
    month VARCHAR NOT NULL,
    action VARCHAR NOT NULL,          -- insert, update or delete
    old_record VARCHAR,               -- JSON of the report before (NULL for insert)
    new_record VARCHAR,               -- JSON of the report after (NULL for delete)
    PRIMARY KEY (upload_id, task_code, unit_code, month)
);

-- Plans (issue 14): every plan the base works under. The base plan's targets are the target columns of
-- `indicators`, and an indicator only later plans track has those columns empty. A later plan's targets are
-- rows of plan_targets. Filled from data/catalog/plans.csv and plan_targets.csv, and a plan workbook upload
-- writes both (and may bring new indicators), recorded in uploads (kind plan) with plan_revisions.
CREATE TABLE plans (code VARCHAR PRIMARY KEY, "order" INTEGER NOT NULL, name_zh VARCHAR NOT NULL,
                    name_en VARCHAR NOT NULL, issuer_zh VARCHAR, issuer_en VARCHAR, document_number VARCHAR,
                    issued_on VARCHAR, period_start INTEGER, period_end INTEGER,
                    source_zh VARCHAR, source_en VARCHAR, source_url VARCHAR,
                    certainty VARCHAR NOT NULL,       -- confirmed, partial or unconfirmed
                    certainty_note_zh VARCHAR, certainty_note_en VARCHAR,
                    has_tasks BOOLEAN NOT NULL, is_default BOOLEAN NOT NULL);
CREATE TABLE plan_targets (plan_code VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL, goal_group VARCHAR NOT NULL,
                           target_type VARCHAR NOT NULL, target_value DOUBLE, direction INTEGER NOT NULL,
                           base_year INTEGER NOT NULL, target_year INTEGER NOT NULL, clause VARCHAR,
                           reading_zh VARCHAR, reading_en VARCHAR,
                           PRIMARY KEY (plan_code, indicator_code));
CREATE TABLE IF NOT EXISTS plan_revisions (
    upload_id INTEGER NOT NULL,
    item VARCHAR NOT NULL,            -- plan, target or indicator
    key VARCHAR NOT NULL,             -- the plan code, plan/indicator, or the indicator code
    action VARCHAR NOT NULL,          -- insert, update or delete
    old_record VARCHAR,               -- JSON of the row before (NULL for insert)
    new_record VARCHAR,               -- JSON of the row after (NULL for delete)
    PRIMARY KEY (upload_id, item, key)
);
