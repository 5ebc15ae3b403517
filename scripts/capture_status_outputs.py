"""Write `status` outputs with no plan named to tests/fixtures/plans/ (see the README there).

Run from the repository root on a database built from data/:  python scripts/capture_status_outputs.py
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/plans"
RUNS = {f"status_{year}{suffix}": ["status", "--as-of", str(year), *extra]
        for year in (2022, 2025)
        for suffix, extra in ((".json", ["--json"]), (".txt", []), ("_en.txt", ["--lang", "en"]))}


def main() -> int:
    for name, args in RUNS.items():
        result = subprocess.run([sys.executable, "-m", "twomountains", *args], cwd=ROOT, capture_output=True,
                                check=True)
        (OUT / name).write_bytes(result.stdout)
        print(OUT / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
