"""Shared fixtures: a real DuckDB file built from data/, and the real app under AppTest."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from twomountains.database import build_database
from twomountains.paths import DB_ENV_VAR, ROOT


@pytest.fixture(autouse=True)
def keep_clicks_under_apptest(monkeypatch):
    """Switch off the page routing guard (twomountains.ui.entry.run_inside_app) in-process.

    AppTest turns Streamlit's pages-folder mode back on before every run and, after switch_page, runs
    the page file first; the guard would then rerun through app.py and the rerun drops the click that
    started the run. The guard exists for a browser's first visit to a shared link on a fresh server,
    which tests/browser/test_direct_links.py checks against a real server.
    """
    from twomountains.ui import entry
    monkeypatch.setattr(entry, "run_inside_app", lambda: None)


@pytest.fixture(autouse=True)
def no_accounts_unless_a_test_makes_them(monkeypatch, tmp_path_factory):
    """Tests never read the developer's secrets/users.json: with no accounts file the command line writes
    without a login (docs/data-formats.md, Accounts). A test that needs accounts sets TWOMOUNTAINS_USERS."""
    import os
    from twomountains.ingest import accounts
    if not os.environ.get(accounts.USERS_ENV_VAR):
        monkeypatch.setenv(accounts.USERS_ENV_VAR, str(tmp_path_factory.mktemp("no-accounts") / "users.json"))
    monkeypatch.delenv("TWOMOUNTAINS_PASSWORD", raising=False)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """The demo database, built once per test run; copy it before writing to it."""
    return build_database(tmp_path_factory.mktemp("template") / "demo.duckdb")


@pytest.fixture
def demo_db(demo_db_template, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the demo database for one test, named by TWOMOUNTAINS_DB."""
    path = tmp_path / "twomountains.duckdb"
    shutil.copy(demo_db_template, path)
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    return path


@pytest.fixture
def app(demo_db):
    """Build an AppTest of the real app on a copy of the demo database: app(page=None, **query)."""
    def start(page: str | None = None, **query) -> AppTest:
        test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            test.query_params[key] = value
        test.run()
        assert not test.exception, test.exception
        if page:
            test.switch_page(str(ROOT / page)).run()
            assert not test.exception, test.exception
        return test
    return start


# --- The lake (DuckLake with a PostgreSQL catalog): docs/scaling.md, twomountains/lake.py --------------
@pytest.fixture(scope="session")
def pg_cluster():
    """A real PostgreSQL in a temporary cluster for the whole run (tests/postgres.py)."""
    from tests.postgres import TemporaryCluster
    with TemporaryCluster() as cluster:
        yield cluster


@pytest.fixture
def demo_lake(demo_db_template, pg_cluster, tmp_path, monkeypatch) -> str:
    """A fresh lake holding the demo database (moved in from the file), named by TWOMOUNTAINS_DB."""
    from twomountains import lake, lake_transfer
    location = pg_cluster.lake_location()
    data = tmp_path / "lake-data"
    lake_transfer.file_to_lake(demo_db_template, location, str(data))
    monkeypatch.setenv(DB_ENV_VAR, location)
    monkeypatch.setenv(lake.DATA_ENV_VAR, str(data))
    return location
