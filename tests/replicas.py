"""N dashboard replicas on one lake behind Debian's nginx, started with the files of deploy/.

Used by tests/browser/test_replicas_browser.py and bench/: the replicas are `python -m twomountains.serve`
(tests/browser/conftest.running_server) with the lake's settings and one cookie secret; nginx runs the
configuration deploy/nginx_conf.py writes, with a certificate deploy/make-cert.sh makes. `route_to(i)`
gives the value of the sticky cookie that nginx sends to replica i (found by asking through nginx).
"""
from __future__ import annotations

import importlib.util
import os
import secrets
import ssl
import subprocess
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from tests.browser.conftest import running_server
from tests.postgres import free_port
from twomountains import lake
from twomountains.paths import ROOT

DEPLOY = ROOT / "deploy"
NGINX = "/usr/sbin/nginx"
ROUTE_COOKIE = "twomountains_route"
REPLICA_HEADER = "X-Twomountains-Replica"


def _nginx_conf():
    spec = importlib.util.spec_from_file_location("nginx_conf", DEPLOY / "nginx_conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def insecure() -> ssl.SSLContext:
    """The test's self-signed certificate is not in any trust store."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Deployment:
    def __init__(self, location: str, data: Path, folder: Path, replicas: int = 2, env: dict | None = None):
        self.location, self.data, self.folder = location, Path(data), Path(folder)
        self.count = replicas
        self.env = {lake.DATA_ENV_VAR: str(data), "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16),
                    **(env or {})}
        self.bases: list[str] = []
        self.processes: list[subprocess.Popen] = []
        self.routes: dict[int, str] = {}
        self._stack = ExitStack()
        self.nginx: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> "Deployment":
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for _ in range(self.count):
            base, process = self._stack.enter_context(running_server(
                self.location, keep_process=True, env=self.env, log_dir=self.folder))
            self.bases.append(base)
            self.processes.append(process)
        tls = self.folder / "tls"
        subprocess.run([str(DEPLOY / "make-cert.sh"), str(tls), "localhost"], check=True, capture_output=True)
        https, http = free_port(), free_port()
        run = self.folder / "nginx"
        conf = self.folder / "nginx.conf"
        run.mkdir(exist_ok=True)
        conf.write_text(_nginx_conf().render(
            [b.removeprefix("http://") for b in self.bases], https, http, str(tls / "cert.pem"),
            str(tls / "key.pem"), str(run), "127.0.0.1", "www-data" if os.geteuid() == 0 else None))
        self.nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(run), "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=open(self.folder / "nginx.stderr", "wb"))
        self.url = f"https://127.0.0.1:{https}"
        self.http_url = f"http://127.0.0.1:{http}"
        deadline = time.monotonic() + 30
        while True:
            try:
                self.get("/_stcore/health")
                break
            except OSError:
                if time.monotonic() > deadline or self.nginx.poll() is not None:
                    raise RuntimeError("nginx did not start: " + (self.folder / "nginx.stderr").read_text())
                time.sleep(0.2)
        addresses = [b.removeprefix("http://") for b in self.bases]
        for attempt in range(200):
            key = f"route{attempt}"
            replica = addresses.index(self.get("/_stcore/health", route=key).headers[REPLICA_HEADER])
            self.routes.setdefault(replica, key)
            if len(self.routes) == self.count:
                break

    def get(self, path: str, route: str | None = None, timeout: float = 10):
        request = urllib.request.Request(self.url + path, headers={"Cookie": f"{ROUTE_COOKIE}={route}"} if route else {})
        with urllib.request.urlopen(request, context=insecure(), timeout=timeout) as response:
            response.read()
            return response

    def route_to(self, replica: int) -> str:
        return self.routes[replica]

    def cookie(self, replica: int) -> dict:
        """The sticky cookie, for playwright's context.add_cookies."""
        return {"name": ROUTE_COOKIE, "value": self.route_to(replica), "url": self.url}

    def __exit__(self, *exc) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.terminate()
            try:
                self.nginx.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        self._stack.close()                   # stops the replicas (one the test killed is gone already)
