"""``cxprobe fleet``: the real command on a real Dask LocalCluster (a scheduler and two worker
processes on 127.0.0.1) against sites served on loopback.

One LocalCluster is shared by the module (the command reaches it with ``--scheduler``);
the acceptance test starts the command's own default LocalCluster.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cxprobe.errors import ExitCode

distributed = pytest.importorskip("distributed")

STATIC = ("--render", "static")


def html(title: str, *links: str, body: str = "") -> str:
    anchors = " ".join(f'<a href="{href}">{href.strip("/") or "home"}</a>' for href in links)
    return (f'<!doctype html><html lang="en"><head><title>{title} | Acme Bikes</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body><header><nav>{anchors}</nav></header><main><h1>{title}</h1>"
            f"<p>Acme Bikes repairs bikes in Riverton. {body}</p></main></body></html>")


def folder_site(root: Path, name: str) -> Path:
    """A small built site: a home page, contact and pricing."""
    d = root / name
    d.mkdir(parents=True)
    nav = ("/index.html", "/contact.html", "/pricing.html")
    (d / "index.html").write_text(html(f"{name} repairs bikes", *nav), encoding="utf-8")
    (d / "contact.html").write_text(html("Contact", *nav, body="Call +44 20 7946 0321."), encoding="utf-8")
    (d / "pricing.html").write_text(html("Pricing", *nav, body="Tune-up £45."), encoding="utf-8")
    return d


class LoopbackSite:
    """A loopback HTTP site whose pages can be slow, whose start page can fail first, and
    which logs every request (time, path, headers)."""

    def __init__(self, pages: dict[str, str], delay: float = 0.0, fail_first: int = 0) -> None:
        self.pages = pages
        self.delay = delay
        self.fail_first = fail_first
        self.log: list[tuple[float, float, str, dict[str, str]]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                t0 = time.time()
                path = self.path.split("?", 1)[0]
                if path == "/" and site.fail_first > 0:
                    site.fail_first -= 1
                    status, body = 503, b"<h1>Busy</h1>"
                elif path in site.pages:
                    time.sleep(site.delay)
                    status, body = 200, site.pages[path].encode()
                else:
                    status, body = 404, b"<h1>Not found</h1>"
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                site.log.append((t0, time.time(), path, dict(self.headers)))

            def log_message(self, *args: object) -> None:
                return

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def linked_pages(n: int, prefix: str = "") -> dict[str, str]:
    """``n`` pages under ``prefix``, each linking the next, the first at ``prefix/``."""
    paths = [f"{prefix}/"] + [f"{prefix}/p{i}.html" for i in range(1, n)]
    return {p: html(f"Page {i}", *paths[i + 1:i + 2], paths[0]) for i, p in enumerate(paths)}


@pytest.fixture
def serve() -> Iterator[Callable[..., LoopbackSite]]:
    sites: list[LoopbackSite] = []

    def start(pages: dict[str, str], **kw: Any) -> LoopbackSite:
        sites.append(LoopbackSite(pages, **kw))
        return sites[-1]

    yield start
    for s in sites:
        s.close()


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    """One real LocalCluster for the module: two single-threaded worker processes."""
    with warnings.catch_warnings():  # its health routes move off port 8787 when that is taken
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                     dashboard_address=None)
    with c:
        yield c


@pytest.fixture
def client(cluster: Any) -> Iterator[Any]:
    with distributed.Client(cluster, set_as_default=False) as c:
        c.wait_for_workers(2, timeout=60)
        yield c


def fleet(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command, in a subprocess."""
    e = {**os.environ, **(env or {})}
    e.pop("CXPROBE_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "cxprobe", "fleet", *args], cwd=cwd, env=e,
                          capture_output=True, text=True, timeout=timeout)


def summary(out: Path) -> dict[str, Any]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ the acceptance checks


def test_three_folders_on_the_default_local_cluster(tmp_path: Path) -> None:
    for name in ("alpha", "bravo", "charlie"):
        folder_site(tmp_path / "sites", name)
    (tmp_path / "sites.txt").write_text("# three client sites\nsites/alpha\n\nsites/bravo\nsites/charlie\n")
    r = fleet("sites.txt", *STATIC, "--format", "json", "--format", "html", "--history", "runs.db", cwd=tmp_path)
    assert r.returncode == ExitCode.OK, r.stderr
    assert "Traceback" not in r.stderr
    out = tmp_path / "cxprobe-fleet"
    doc = summary(out)
    assert doc["engine"].startswith("LocalCluster of ")
    assert [s["name"] for s in doc["sites"]] == ["alpha", "bravo", "charlie"]
    assert {s["status"] for s in doc["sites"]} == {"passed"}
    for name in ("alpha", "bravo", "charlie"):
        report = json.loads((out / name / "report.json").read_text())
        assert report["target"] == f"sites/{name}"  # as typed, never the worker's absolute path
        assert report["crawl"]["pages"] == 3
        assert (out / name / "report.html").is_file()
    index = (out / "index.html").read_text()
    assert all(f'href="{n}/report.html"' in index for n in ("alpha", "bravo", "charlie"))
    assert "| alpha |" not in (out / "summary.md").read_text()  # names link their reports
    assert "[alpha](alpha/report.html)" in (out / "summary.md").read_text()
    assert "alpha" in r.stdout and "3 passed" in r.stdout  # the terminal table
    with sqlite3.connect(tmp_path / "runs.db") as db:
        rows = db.execute("SELECT target, pages FROM runs ORDER BY target").fetchall()
    assert rows == [("sites/alpha", 3), ("sites/bravo", 3), ("sites/charlie", 3)]


SCHEDULER_FIRST = """
import time

import dask
from cxprobe.fleet.engine import connect

if __name__ == "__main__":
    dask.config.set({"distributed.comm.timeouts.connect": "3s"})  # the scheduler is gone: fail fast
    with connect(None, 2) as (client, engine):
        assert client.run(lambda: 1)
        real_close = client.close

        def scheduler_first():
            # The shutdown's race on a loaded machine, made certain: the scheduler drops the
            # workers while their heartbeats and the client's comms are open.
            client.close = real_close  # once: the client's __del__ closes again
            client.sync(client.cluster.scheduler.close)
            time.sleep(3)
            real_close()

        client.close = scheduler_first
    print("closed")
"""


def test_the_local_clusters_shutdown_prints_nothing_when_the_scheduler_goes_first(tmp_path: Path) -> None:
    # CI once printed a worker's "Failed to communicate with scheduler during heartbeat"
    # traceback after a fleet had finished: every site had its result, the shutdown raced.
    (tmp_path / "race.py").write_text(SCHEDULER_FIRST)
    r = subprocess.run([sys.executable, "race.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "closed", r.stderr
    assert r.stderr == ""


def test_an_unreachable_second_site_leaves_the_others_finished_and_exits_3(tmp_path: Path, cluster: Any) -> None:
    folder_site(tmp_path, "first")
    folder_site(tmp_path, "third")
    dead = f"http://127.0.0.1:{closed_port()}/"
    (tmp_path / "sites.txt").write_text(f"first\n{dead}\nthird\n")
    r = fleet("sites.txt", *STATIC, "--scheduler", cluster.scheduler_address, "--retry-delay", "0.1",
              "--history", "runs.db", cwd=tmp_path)
    assert r.returncode == ExitCode.CANNOT_MEASURE, r.stderr
    doc = summary(tmp_path / "cxprobe-fleet")
    first, second, third = doc["sites"]
    assert (first["status"], third["status"]) == ("passed", "passed")
    assert second["status"] == "not_measured" and "could not reach" in second["error"]
    assert second["attempts"] == 3  # a connection error is transient: retried twice, with backoff
    assert doc["exit_code"] == 3 and doc["totals"]["not_measured"] == 1
    assert (tmp_path / "cxprobe-fleet" / "first" / "report.json").is_file()
    assert f"cxprobe: error: {second['name']}: could not reach" in r.stderr
    with sqlite3.connect(tmp_path / "runs.db") as db:  # a site not measured is not recorded
        assert sorted(t for (t,) in db.execute("SELECT target FROM runs")) == ["first", "third"]


def test_a_site_that_fails_its_own_gate_exits_1(tmp_path: Path, cluster: Any) -> None:
    folder_site(tmp_path, "strict")
    folder_site(tmp_path, "lenient")
    (tmp_path / "sites.toml").write_text("""
[defaults]
render = "static"

[[site]]
target = "strict"
fail_under = 99.5

[[site]]
target = "lenient"
""")
    r = fleet("sites.toml", "--scheduler", cluster.scheduler_address, "--quiet", cwd=tmp_path)
    assert r.returncode == ExitCode.ASSERTION_FAILED, r.stderr
    strict, lenient = summary(tmp_path / "cxprobe-fleet")["sites"]
    assert (strict["status"], strict["gates_failed"]) == ("failed", ["fail_under"])
    assert lenient["status"] == "passed"
    assert r.stderr.strip() == "cxprobe: gate failed: strict: fail_under"  # --quiet keeps failed gates


def test_a_site_asking_for_extraction_workers_is_read_inside_its_dask_worker(tmp_path: Path, cluster: Any) -> None:
    """A Dask worker is a daemonic process, which may start no process pool: a site whose
    entry asks for two jobs has its pages read in the worker itself, not an internal error
    at its first page past the ones read in-process."""
    site = tmp_path / "big"
    site.mkdir()
    paths = ["/index.html"] + [f"/p{i}.html" for i in range(1, 20)]
    for i, path in enumerate(paths):
        (site / path.lstrip("/")).write_text(html(f"Page {i}", *paths), encoding="utf-8")
    (tmp_path / "sites.toml").write_text("""
[[site]]
target = "big"
render = "static"
jobs = 2
""")
    r = fleet("sites.toml", "--scheduler", cluster.scheduler_address, "--quiet", cwd=tmp_path)
    assert r.returncode == ExitCode.OK, r.stderr
    (big,) = summary(tmp_path / "cxprobe-fleet")["sites"]
    assert big["status"] == "passed" and big["pages"] == len(paths), big


# ------------------------------------------------------------------ faults


def test_a_5xx_start_page_is_retried_and_a_404_is_not(tmp_path: Path, cluster: Any, serve: Callable[..., LoopbackSite]) -> None:
    flaky = serve(linked_pages(3), fail_first=1)  # 503 once, then the site answers
    missing = serve({"/": html("Home")})
    (tmp_path / "sites.toml").write_text(f"""
[defaults]
render = "static"

[[site]]
name = "flaky"
target = "{flaky.url()}"

[[site]]
name = "missing"
target = "{missing.url('/gone.html')}"
""")
    r = fleet("sites.toml", "--scheduler", cluster.scheduler_address, "--retry-delay", "0.2", cwd=tmp_path)
    assert r.returncode == ExitCode.CANNOT_MEASURE, r.stderr
    flaky_row, missing_row = summary(tmp_path / "cxprobe-fleet")["sites"]
    assert flaky_row["status"] == "passed" and flaky_row["attempts"] == 2
    assert "HTTP 503" in flaky_row["retried_after"][0]
    assert missing_row["status"] == "not_measured" and missing_row["attempts"] == 1  # a 404 is not transient
    assert "HTTP 404" in missing_row["error"]
    starts = [t for t, _end, path, _h in flaky.log if path == "/"]
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.2  # the backoff was waited


def test_a_worker_killed_mid_audit_leaves_its_site_to_another_worker(tmp_path: Path, cluster: Any, client: Any,
                                                                     serve: Callable[..., LoopbackSite]) -> None:
    slow = serve(linked_pages(12), delay=0.3)  # one request at a time: about 4 s of crawling
    (tmp_path / "sites.toml").write_text(f"""
[[site]]
name = "slow"
target = "{slow.url()}"
render = "static"
concurrency = 1
max_depth = 20
""")
    proc = subprocess.Popen([sys.executable, "-m", "cxprobe", "fleet", "sites.toml", "--scheduler",
                             cluster.scheduler_address], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        victim = None
        for _ in range(300):  # bounded: 30 s
            busy = {addr: keys for addr, keys in client.processing().items()
                    if any(str(k).startswith("cxprobe-site-slow") for k in keys)}
            if busy and len(slow.log) >= 2:  # the audit is under way on that worker
                victim = next(iter(busy))
                break
            time.sleep(0.1)
        assert victim is not None, "the site's task never started"
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == ExitCode.OK, stderr
    row = summary(tmp_path / "cxprobe-fleet")["sites"][0]
    assert row["status"] == "passed" and row["worker"] != victim
    assert sum(1 for _t0, _t1, path, _h in slow.log if path == "/") == 2  # the audit ran again from the start
    assert json.loads((tmp_path / "cxprobe-fleet" / "slow" / "report.json").read_text())["crawl"]["pages"] == 12
    client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed worker for the next tests


def test_a_hung_worker_leaves_its_site_given_up_at_the_deadline(tmp_path: Path, client: Any,
                                                                serve: Callable[..., LoopbackSite]) -> None:
    from cxprobe.config import AuditConfig
    from cxprobe.fleet.engine import run_jobs
    from cxprobe.fleet.task import SiteJob

    slow = serve(linked_pages(8), delay=0.5)
    folder = folder_site(tmp_path, "quick")
    jobs = [(SiteJob(name="hung", target=slow.url(), config=AuditConfig(target=slow.url(), render="static",
                                                                       deadline=2, concurrency=1, jobs=1)), "slow"),
            (SiteJob(name="quick", target="quick", config=AuditConfig(target=str(folder), render="static", jobs=1)), "quick")]
    results: list[list[dict[str, Any]]] = []
    runner = threading.Thread(target=lambda: results.append(run_jobs(client, jobs, grace=1.0)))
    runner.start()
    stopped = None
    try:
        for _ in range(300):  # bounded: 30 s
            busy = [a for a, keys in client.processing().items() if any(str(k).startswith("cxprobe-site-hung") for k in keys)]
            if busy and slow.log:
                stopped = client.run(os.getpid, workers=busy)[busy[0]]
                os.kill(stopped, signal.SIGSTOP)  # the worker hangs mid-audit: no result, no death
                break
            time.sleep(0.1)
        runner.join(timeout=60)
    finally:
        if stopped:
            os.kill(stopped, signal.SIGCONT)
    assert stopped is not None and not runner.is_alive()
    hung, quick = results[0]
    assert hung["status"] == "not_measured" and "3 s after the audit started" in hung["error"], hung["error"]
    assert quick["status"] == "measured"


def test_two_entries_on_one_host_never_crawl_at_the_same_time(tmp_path: Path, cluster: Any,
                                                              serve: Callable[..., LoopbackSite]) -> None:
    shop = serve({**linked_pages(5, "/shop"), **linked_pages(5, "/blog")}, delay=0.1)
    (tmp_path / "sites.toml").write_text(f"""
[defaults]
render = "static"
concurrency = 2

[[site]]
name = "shop"
target = "{shop.url('/shop/')}"
include = ["/shop/*"]
headers_from_env = {{ "X-Entry" = "FLEET_ENTRY_SHOP" }}

[[site]]
name = "blog"
target = "{shop.url('/blog/')}"
include = ["/blog/*"]
headers_from_env = {{ "X-Entry" = "FLEET_ENTRY_BLOG" }}
""")
    secrets = {"FLEET_ENTRY_SHOP": "s3cret-shop-token", "FLEET_ENTRY_BLOG": "s3cret-blog-token"}
    r = fleet("sites.toml", "--scheduler", cluster.scheduler_address, "--format", "json", "--format", "markdown",
              cwd=tmp_path, env=secrets)
    assert r.returncode == ExitCode.OK, r.stderr
    spans: dict[str, tuple[float, float]] = {}
    for t0, t1, _path, headers in shop.log:
        entry = headers.get("X-Entry", "")
        lo, hi = spans.get(entry, (t0, t1))
        spans[entry] = (min(lo, t0), max(hi, t1))
    assert set(spans) == set(secrets.values())  # each entry sent its own header, read from the environment
    (a0, a1), (b0, b1) = sorted(spans.values())
    assert a1 <= b0, f"the two entries of one host crawled at the same time: {spans}"
    written = "".join(p.read_text(errors="replace") for p in (tmp_path / "cxprobe-fleet").rglob("*") if p.is_file())
    assert all(v not in written and v not in r.stdout + r.stderr for v in secrets.values())


def test_a_worker_with_another_plugin_set_is_refused(tmp_path: Path) -> None:
    # A worker whose Python path holds one more installed plugin (a dist-info with a
    # cxprobe entry point): the fleet refuses it before any site starts.
    extra = tmp_path / "extra"
    (extra / "cxextra").mkdir(parents=True)
    (extra / "cxextra" / "__init__.py").write_text('"""A plugin that registers nothing."""\n')
    (extra / "cxextra-1.0.dist-info").mkdir()
    (extra / "cxextra-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: cxextra\nVersion: 1.0\n")
    (extra / "cxextra-1.0.dist-info" / "entry_points.txt").write_text("[cxprobe]\ncxextra = cxextra\n")
    folder_site(tmp_path, "site")
    (tmp_path / "sites.txt").write_text("site\n")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        scheduler_only = distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None)
    with scheduler_only as c:
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", c.scheduler_address,
                                   "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1", "--no-dashboard"],
                                  env={**os.environ, "PYTHONPATH": str(extra)}, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            r = fleet("sites.txt", *STATIC, "--scheduler", c.scheduler_address, cwd=tmp_path)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert r.returncode == ExitCode.USAGE_ERROR, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("cxprobe: error: worker tcp://127.0.0.1:"), r.stderr
    assert "another plugin set than this client (it has cxextra==1.0)" in lines[0]
    assert not (tmp_path / "cxprobe-fleet" / "site").exists()  # nothing ran


# ------------------------------------------------------------------ bad input: exit 2, one line


@pytest.mark.parametrize(("name", "content", "needle"), [
    (None, None, "nosuch.txt: no such file"),
    ("bad.toml", "[[site]\ntarget = 'x'", "bad.toml: not valid TOML"),
    ("unknown.toml", "[[site]]\ntarget = 'site'\nmax_pagez = 3\n", "unknown key(s) max_pagez"),
    ("top.toml", "[sites]\n", "unknown key(s) sites"),
    ("output.toml", "[[site]]\ntarget = 'site'\nformat = 'json'\n", "format is set for the whole fleet"),
    ("env.toml", "[[site]]\ntarget = 'site'\nheaders_from_env = { Authorization = 'CXPROBE_NO_SUCH_VAR' }\n",
     "the environment variable CXPROBE_NO_SUCH_VAR (for the Authorization header) is not set"),
    ("missing.txt", "site\nno-such-folder\n", "missing.txt, line 2: 'no-such-folder': no such folder or file"),
    ("empty.txt", "# nothing yet\n", "no sites"),
    ("probe.toml", "[[site]]\ntarget = 'site'\nonly = ['contakt']\n", "contakt"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, name: str | None, content: str | None, needle: str,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from cxprobe.cli import main

    folder_site(tmp_path, "site")
    if name:
        (tmp_path / name).write_text(content or "")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CXPROBE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stop:  # the real command, in-process: no cluster starts
        main(["fleet", name or "nosuch.txt"])
    err = capsys.readouterr().err
    assert stop.value.code == ExitCode.USAGE_ERROR, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("cxprobe: error: "), err
    assert needle in lines[0]
    assert not (tmp_path / "cxprobe-fleet").exists()


def test_without_dask_the_fleet_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "sites.txt").write_text("https://example.com\n")
    code = ("import sys; sys.modules['distributed'] = None\n"  # as if dask[distributed] were not installed
            "from cxprobe.cli import main; main(['fleet', 'sites.txt'])")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert r.returncode == ExitCode.USAGE_ERROR
    assert r.stderr.strip() == "cxprobe: error: cxprobe fleet needs Dask: pip install 'cxprobe[fleet]' (or 'dask[distributed]')"


def test_the_progress_line_counts_sites_and_estimates_the_time_left() -> None:
    from cxprobe.fleet.engine import Progress

    p = Progress(total=10, started=100.0, done=4, failed=1)
    assert p.line(now=140.0) == "fleet: 4/10 done, 1 failed, 6 left, 40 s so far, about 1 min 00 s left"
    assert Progress(total=3, started=0.0).line(now=1.0) == "fleet: 0/3 done, 0 failed, 3 left, 1 s so far"
