"""Server settings (issue 15, item 8): Streamlit refuses a file above the dashboard's limit before holding it,
and readers never see an exception's details. (The login log's permissions: tests/test_login_limits.py.)"""
from __future__ import annotations

import subprocess
import tomllib

from twomountains import serve
from twomountains.ingest import reading
from twomountains.paths import ROOT


def test_config_sets_the_upload_limit_and_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == reading.MAX_BYTES // (1024 * 1024)
    assert config["client"]["showErrorDetails"] == "none"


def test_streamlit_reads_the_settings():
    """As the installed Streamlit resolves them from the project's .streamlit/config.toml."""
    shown = subprocess.run([str(ROOT / ".venv" / "bin" / "streamlit"), "config", "show"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120).stdout
    settings = [line.strip() for line in shown.splitlines() if not line.startswith("#")]
    assert f"maxUploadSize = {reading.MAX_BYTES // (1024 * 1024)}" in settings
    assert 'showErrorDetails = "none"' in settings


def test_serve_follows_a_raised_limit(monkeypatch):
    monkeypatch.delenv(reading.MAX_MB_ENV_VAR, raising=False)
    assert serve.upload_limit([]) == []
    monkeypatch.setenv(reading.MAX_MB_ENV_VAR, "49.5")
    assert serve.upload_limit([]) == ["--server.maxUploadSize=50"]
    assert serve.upload_limit(["--server.maxUploadSize=5"]) == []
