"""The plan text the fidelity tests compare the data with (../shared/plan, beside the project).

On a developer's machine without the shared folder those tests skip; in CI (CI=true), where the folder is
present, a missing plan is a failure: a fidelity test must never pass by skipping silently.
"""
from __future__ import annotations

import os

import pytest

from twomountains.paths import ROOT

PLAN = ROOT.parent / "shared" / "plan" / "wulong-two-mountains-plan-2019-2022.zh.txt"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def plan_text() -> str:
    if not PLAN.exists():
        message = f"the plan text is missing: {PLAN} (the fidelity tests compare the catalog and tasks with it)"
        if in_ci():
            pytest.fail(message + "; CI must provide ../shared/plan")
        pytest.skip(message)
    return PLAN.read_text(encoding="utf-8")
