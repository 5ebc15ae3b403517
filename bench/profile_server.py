"""Where a page run's time goes under forum-day load: `python -m bench.profile_server [--size S] [--sessions 20]`.

Starts one dashboard process (python -m twomountains.serve, as deployed) on the benchmark database of
`--size`, fills its caches, then samples it with py-spy (a sampling profiler outside the process; its
path is --py-spy, else `py-spy` on PATH) while `--sessions` websocket sessions click through three pages
each (bench.lake.forum_day). Prints the page times and, from the samples of the script threads, the
share of samples in which each function of the project (and a few of Streamlit's) is on the stack.
Also measures the page run time of ONE session alone (less sensitive to the machine's other load).
"""
from __future__ import annotations

import argparse
import collections
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.lake import FORUM_PAGES, _median_p90, forum_day
from bench.run import _database


def single_session(base: str, rounds: int = 3) -> list[float]:
    """Every forum page, `rounds` times, one session alone: the page run time without queueing."""
    from tests.reliability_session import Session
    times = []
    with Session(base, timeout=300) as session:
        for _ in range(rounds):
            for page, query in FORUM_PAGES:
                times.append(session.run(page, query).seconds)
    return times


def summarise(raw: Path, top: int = 45) -> str:
    """Inclusive shares per function, over the samples of script threads (those running app.py)."""
    inclusive, total = collections.Counter(), 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if "app.py" not in stack:
            continue                      # not a script run: the server's event loop, idle threads
        count = int(count)
        total += count
        frames = set()
        for frame in stack.split(";"):
            name = frame.split(" (")[0]
            where = frame[frame.find("(") + 1:frame.rfind(")")] if "(" in frame else ""
            path = where.split(":")[0]
            short = path.split("/w13/")[-1].split("site-packages/")[-1]
            frames.add(f"{name} ({short})")
        for frame in frames:
            inclusive[frame] += count
    lines = [f"script-thread samples: {total}"]
    shown = [(frame, count) for frame, count in inclusive.most_common()
             if not frame.startswith(("Thread", "ScriptRunner", "exec_func", "<module> (app.py"))]
    for frame, count in shown[:top]:
        lines.append(f"{100 * count / total:5.1f}%  {frame}")
    lines.append("the project's own functions:")
    for frame, count in [(f, c) for f, c in shown if "twomountains/" in f or "pages/" in f][:top]:
        lines.append(f"{100 * count / total:5.1f}%  {frame}")
    return "\n".join(lines)


def main() -> None:
    from tests.browser.conftest import running_server
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="S")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    parser.add_argument("--no-profile", action="store_true", help="page times only")
    args = parser.parse_args()
    source = _database(args.size)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as scratch:
        scratch = Path(scratch)
        with running_server(source, keep_process=True, log_dir=scratch) as (base, process):
            forum_day(base, 1)                                           # fill the caches
            alone = single_session(base)
            print(f"one session alone: {_median_p90(alone)}")
            spy = None
            raw = scratch / "samples.txt"
            if not args.no_profile:
                spy = subprocess.Popen([args.py_spy, "record", "--pid", str(process.pid), "--format", "raw",
                                        "--rate", "50", "--output", str(raw), "--nonblocking"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1.0)
            result = forum_day(base, args.sessions)
            if spy is not None:
                spy.send_signal(2)
                spy.wait(timeout=60)
        print(f"{args.sessions} sessions: {_median_p90(result['times'])}; {result['throughput']:.2f} page runs/s; "
              f"failures {len(result['failures'])} {result['failures'][:1]}")
        print(f"median alone {statistics.median(alone):.3f} s")
        if spy is not None and raw.exists():
            print(summarise(raw))


if __name__ == "__main__":
    main()
