"""A viewer of the real dashboard over its websocket, without a browser.

Streamlit's frontend talks to the server with protobuf messages on `/_stcore/stream`: it asks for a
script run (page, query string, widget values) and receives the run's elements as deltas. `Session`
speaks the same protocol with the `websockets` client, so the reliability tests can keep twenty
sessions busy on a 2-core machine (twenty Chromium tabs would measure Chromium) while the server
is the one `streamlit run app.py` that a user would reach. Each `run()` returns what the page shows
once the run has finished: the elements of its last script run, in page order.
"""
from __future__ import annotations

import io
import json
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pandas as pd
import pyarrow as pa
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

FINISHED = ForwardMsg.ScriptFinishedStatus
DONE = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR}


class SessionError(RuntimeError):
    """The server closed the connection or a run did not finish in time."""


@dataclass
class Render:
    """One finished script run as the page shows it."""
    elements: list = field(default_factory=list)     # streamlit.proto Element, in page order
    status: int | None = None
    seconds: float = 0.0
    runs: int = 0                                     # script runs it took (a rerun starts another)

    def of(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]

    @property
    def exceptions(self) -> list[str]:
        return [f"{e.type}: {e.message}" for e in self.of("exception")]

    @property
    def errors(self) -> list[str]:
        """st.error boxes (alert format 1 is ERROR)."""
        return [a.body for a in self.of("alert") if a.format == 1]

    def texts(self, kind: str) -> list[str]:
        return [e.body for e in self.of(kind)]

    def metrics(self) -> dict[str, str]:
        return {m.label: m.body for m in self.of("metric")}

    def metric_starting(self, *prefixes: str) -> str | None:
        """The value of the first metric whose label starts with one of the prefixes ("最新值(2025年)")."""
        return next((body for label, body in self.metrics().items() if label.startswith(prefixes)), None)

    def dataframes(self) -> list[pd.DataFrame]:
        frames = []
        for proto in self.of("dataframe"):
            data = proto.arrow_data.data or proto.lazy_data.initial_chunk.data
            frames.append(pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas())
        return frames

    def row_counts(self) -> list[int]:
        """Rows of each table, also of one sent in chunks (more than 1,000 rows)."""
        return [proto.lazy_data.row_count if proto.HasField("lazy_data") else len(frame)
                for proto, frame in zip(self.of("dataframe"), self.dataframes())]

    def widget(self, kind: str, key_or_label: str):
        """A widget element by the end of its id (the user key) or by its label."""
        for proto in self.of(kind):
            if proto.id.endswith(f"-{key_or_label}") or getattr(proto, "label", None) == key_or_label:
                return proto
        raise KeyError(f"no {kind} {key_or_label!r} in {[getattr(p, 'label', p.id) for p in self.of(kind)]}")


class Session:
    """One browser tab's worth of dashboard: a websocket session of the real server."""

    def __init__(self, base_url: str, timeout: float = 60.0, cookie: str | None = None, ssl_context=None):
        """`cookie` (name=value) is sent with every request, e.g. a balancer's sticky cookie; an https base
        (a balancer with TLS) takes `ssl_context`."""
        self.base_url = base_url
        self.timeout = timeout
        self.session_id: str | None = None
        self.page_hash = ""
        self.query_string = ""
        self.cookie = cookie
        self.ssl_context = ssl_context
        url = base_url.replace("https://", "wss://").replace("http://", "ws://") + "/_stcore/stream"
        extra = {"ssl": ssl_context} if url.startswith("wss://") else {}
        self._ws = connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout,
                           additional_headers={"Cookie": cookie} if cookie else None, **extra)

    def close(self) -> None:
        self._ws.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _send(self, message: BackMsg) -> None:
        self._ws.send(message.SerializeToString())

    def _receive(self, deadline: float) -> ForwardMsg:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SessionError("the run did not finish in time")
        try:
            data = self._ws.recv(timeout=remaining)
        except TimeoutError as error:
            raise SessionError("the run did not finish in time") from error
        except Exception as error:   # ConnectionClosed and the like: the server went away
            raise SessionError(f"connection lost: {error!r}") from error
        message = ForwardMsg()
        message.ParseFromString(data)
        return message

    def run(self, page: str | None = None, query_string: str | None = None,
            widgets: list[WidgetState] | None = None) -> Render:
        """Ask for a script run (another page, or the same with widget values) and wait for its end."""
        message = BackMsg()
        state = message.rerun_script
        if page is not None:
            state.page_name = page
            state.page_script_hash = ""
        else:
            state.page_script_hash = self.page_hash
        if query_string is not None:
            self.query_string = query_string
        state.query_string = self.query_string
        for widget in widgets or []:
            state.widget_states.widgets.append(widget)
        started = time.monotonic()
        self._send(message)
        return self._until_finished(started)

    def _until_finished(self, started: float) -> Render:
        deadline = started + self.timeout
        render, elements = Render(), {}
        while True:
            message = self._receive(deadline)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                # Every script run starts with new_session; a rerun's elements replace the last run's.
                elements = {}
                render.runs += 1
                self.session_id = message.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                # With st.navigation the page being shown is named here (new_session names app.py).
                self.page_hash = message.navigation.page_script_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                elements[tuple(message.metadata.delta_path)] = message.delta.new_element
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "script_finished" and message.script_finished in DONE:
                render.status = message.script_finished
                render.elements = [elements[path] for path in sorted(elements)]
                render.seconds = time.monotonic() - started
                return render

    def upload(self, name: str, data: bytes, content_type: str = "text/csv") -> UploadedFileInfo:
        """Put a file on the server the way st.file_uploader does; returns the widget's file info."""
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        self._send(request)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(deadline)
            if message.WhichOneof("type") == "file_urls_response":
                [urls] = message.file_urls_response.file_urls
                break
        # The upload route checks Streamlit's double-submit XSRF token: cookie and header alike.
        health = urllib.request.Request(f"{self.base_url}/_stcore/health",
                                        headers={"Cookie": self.cookie} if self.cookie else {})
        with urllib.request.urlopen(health, timeout=self.timeout, context=self.ssl_context) as response:
            cookie = SimpleCookie(response.headers.get("Set-Cookie", ""))
        token = cookie["_streamlit_xsrf"].value if "_streamlit_xsrf" in cookie else ""
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        url = urls.upload_url if urls.upload_url.startswith("http") else self.base_url + urls.upload_url
        put = urllib.request.Request(url, data=body, method="PUT", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": token, "Cookie": "; ".join(filter(None, [f"_streamlit_xsrf={token}", self.cookie]))})
        with urllib.request.urlopen(put, timeout=self.timeout, context=self.ssl_context) as response:
            assert response.status in (200, 204), response.status
        info = UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        return info


def text(widget_id: str, value: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=value)


def click(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def files(widget_id: str, *infos: UploadedFileInfo) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.file_uploader_state_value.SetInParent()
    for info in infos:
        state.file_uploader_state_value.uploaded_file_info.append(info)
    return state


def as_json(render: Render) -> str:
    """A short description of a run for failure messages."""
    return json.dumps({"status": render.status, "exceptions": render.exceptions, "errors": render.errors,
                       "headings": render.texts("heading")[:4]}, ensure_ascii=False)
