"""Synthetic databases with the real schema at three sizes, deterministic and marked demo.

S is the embedded demo database. M adds Chongqing: 38 districts × 30 townships × 60 indicators ×
48 quarters (2015–2026) ≈ 3.3 million observations. L adds the ~240 two-mountains bases of the country
(≈ 20.7 million). Wulong's own demo data stays as it is, so every page shows the same goals at every
size while its queries run over the large table.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from twomountains.database import build_database

SIZES = {"S": 0, "M": 38, "L": 240}
TOWNSHIPS_PER_DISTRICT = 30
INDICATORS = 60
SYNTHETIC_INDICATORS = 20     # at least: the 1,000,000-row upload of bench/ingest.py reads 20 series sets of them
FIRST_YEAR, LAST_YEAR = 2015, 2026


def generate(size: str, path: Path) -> Path:
    """Build the database of one size at `path` (overwritten)."""
    path = Path(path)
    if path.exists():
        path.unlink()
    build_database(path)
    districts = SIZES[size]
    if not districts:
        return path
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN TRANSACTION")
        # The real catalog has grown to 60 indicators (plans): synthetic ones are added all the same, and the
        # observations cover 60 indicators, the synthetic ones first, so M keeps its size.
        extra = max(INDICATORS - con.execute("SELECT count(*) FROM indicators").fetchone()[0], SYNTHETIC_INDICATORS)
        con.execute("""
            INSERT INTO indicators
            SELECT 'synthetic_' || lpad(i::VARCHAR, 2, '0'), '合成指标' || i, 'Synthetic indicator ' || i,
                   'percent', 'key_tasks', 'build_ecology', 'level', 1, 80, 2018, 2022, 'last', '—',
                   'ecoenv', '基准测试用合成数据', 'Synthetic benchmark data', '—', '—', FALSE
            FROM range(1, $extra + 1) t(i)""", {"extra": extra})
        con.execute("""
            INSERT INTO regions (code, name_zh, name_en, level, parent_code, lat, lon, coord_source)
            SELECT (900000 + d)::VARCHAR, '合成区县' || d, 'Synthetic district ' || d, 'district', NULL,
                   29.3, 107.7, 'synthetic'
            FROM range(1, $districts + 1) t(d)
            UNION ALL
            SELECT (900000 + d)::VARCHAR || lpad(t::VARCHAR, 3, '0'), '合成乡镇' || d || '-' || t,
                   'Synthetic township ' || d || '-' || t, 'township', (900000 + d)::VARCHAR, 29.3, 107.7,
                   'synthetic'
            FROM range(1, $districts + 1) a(d), range(1, $townships + 1) b(t)""",
                    {"districts": districts, "townships": TOWNSHIPS_PER_DISTRICT})
        con.execute("""
            INSERT INTO observations
            SELECT i.code, r.code, y::VARCHAR || 'Q' || q::VARCHAR, 'Q', y, q, NULL,
                   round(40 + (hash(r.code || i.code) % 400) / 10.0 + (y - 2015) * 1.5 + q * 0.1, 2),
                   'demo', 'demo', NULL
            FROM regions r,
                 (SELECT * FROM indicators ORDER BY code LIKE 'synthetic_%' DESC, code LIMIT $indicators) i,
                 range($first, $last + 1) a(y), range(1, 5) b(q)
            WHERE r.coord_source = 'synthetic' AND r.level = 'township'""",
                    {"first": FIRST_YEAR, "last": LAST_YEAR, "indicators": INDICATORS})
        con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="generate a synthetic benchmark database")
    parser.add_argument("size", choices=list(SIZES))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    path = generate(args.size, Path(args.out))
    rows = duckdb.connect(str(path), read_only=True).execute("SELECT count(*) FROM observations").fetchone()[0]
    print(f"{args.size}: {rows:,} observations in {path} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
