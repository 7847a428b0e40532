"""Test helpers for real servers on loopback: a free port, a required binary, and a throwaway Virtuoso instance.

`VirtuosoServer` runs Debian's `virtuoso-t` with its own ini and database in a temporary folder, both ports
bound to 127.0.0.1, opens SPARQL Update and the Graph Store Protocol to the anonymous SPARQL user (the
instance is private to the test and lives for one session), and is always stopped: SIGTERM, then SIGKILL if
it has not exited in time.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

# Loopback only: never through a proxy the environment may name.
LOOPBACK_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
START_SECONDS = 90  # a cold start creates the database (about 5 s on 2 cores); generous for a loaded CI machine
STOP_SECONDS = 30


def free_port() -> int:
    """A TCP port nothing listens on at the moment (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_binaries(*names: str) -> dict[str, str]:
    """Paths of the named programs; skips the test when one is missing, or fails when CI is set (CI must run it)."""
    found = {name: shutil.which(name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (Debian packages: see .ci/system-packages)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so this test must run: {reason}")
        pytest.skip(reason)
    return found


def stop_process(process: subprocess.Popen, seconds: float = STOP_SECONDS) -> None:
    """Stop a process we started (and its session): SIGTERM, a bounded wait, then SIGKILL."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    except ProcessLookupError:
        pass  # the process group has already gone: nothing is left to stop


def wait_for_http(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    """Poll url until it answers (any HTTP status); fail with the log's tail if the process dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} while starting:\n{tail(log)}")
        try:
            with LOOPBACK_OPENER.open(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


INI_TEMPLATE = """\
; Written by tests/virtuoso_server.py: a throwaway instance on loopback.
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
CheckpointInterval = 0
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
ThreadsPerQuery    = 2
DirsAllowed        = {db}

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {db}
ServerThreads        = 4
MaxClientConnections = 4
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows      = 1000000
MaxQueryExecutionTime = 120
"""

# The anonymous web user "SPARQL" may then run SPARQL Update on /sparql and PUT/DELETE on /sparql-graph-crud.
OPEN_UPDATES = 'grant SPARQL_UPDATE to "SPARQL";'


class VirtuosoServer:
    """One Virtuoso process with a database in `folder`; use as a context manager."""

    def __init__(self, folder: Path, virtuoso: str = "virtuoso-t", isql: str = "isql-vt"):
        self.folder = folder
        self.virtuoso, self.isql = virtuoso, isql
        self.sql_port, self.http_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None
        self.log = folder / "stdout.log"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    def start(self) -> "VirtuosoServer":
        db = self.folder / "db"
        db.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI_TEMPLATE.format(db=db, sql_port=self.sql_port, http_port=self.http_port), encoding="utf-8")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([self.virtuoso, "+foreground", "+configfile", str(ini)], cwd=db,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        try:
            wait_for_http(self.endpoint, self.process, START_SECONDS, self.log)
            self.sql(OPEN_UPDATES)
        except BaseException:
            self.stop()
            raise
        return self

    def sql(self, statement: str) -> str:
        """Run one SQL statement as dba through isql (the SQL port); its output, or an error naming it."""
        done = subprocess.run([self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
                              capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql {statement!r} failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done.stdout

    def select(self, query: str) -> list[dict]:
        """The bindings of a SELECT on the store, as SPARQL JSON (for checks the tests make directly)."""
        import json
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        request = urllib.request.Request(self.endpoint, data=body,
                                         headers={"Accept": "application/sparql-results+json"})
        with LOOPBACK_OPENER.open(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))["results"]["bindings"]

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"])

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def __enter__(self) -> "VirtuosoServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
