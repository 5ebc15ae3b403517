"""A real PostgreSQL (Debian's package) in a temporary cluster, for the lake's catalog in tests and benchmarks.

PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user the package
creates and every command runs through `runuser`; as anyone else it runs as that user. Nothing outside
the temporary folder is touched, and the server is stopped at the end.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL is missing: run `make test` (it installs Debian's postgresql)")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TemporaryCluster:
    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else None          # a temporary folder, made by start()
        self.port = free_port()
        self.bin = binaries()
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else os.environ.get("USER", "postgres")

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = (["runuser", "-u", "postgres", "--"] if self.as_root else []) + list(argv)
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd="/")
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {done.stderr or done.stdout}")
        return done

    def start(self) -> "TemporaryCluster":
        self.folder = self.folder or Path(tempfile.mkdtemp(prefix="twomountains-pg-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
            os.chmod(self.folder, 0o700)
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                  f"-c max_connections=200", "start")
        return self

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop",
                  check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str | None = None) -> str:
        name = name or "lake_" + uuid.uuid4().hex[:10]
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return name

    def lake_location(self, name: str | None = None) -> str:
        """A new, empty catalog database, as the `ducklake:postgres:` setting names it."""
        return f"ducklake:postgres:dbname={self.create_database(name)} host=127.0.0.1 port={self.port} user=postgres"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
