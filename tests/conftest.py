"""Shared fixtures: real HTML sites served over loopback HTTP, the corpus, the CLI."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves a dict of path -> (status, headers, body) and counts requests."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        path = self.path.split("?", 1)[0]
        status, headers, body = self.routes.get(self.path) or self.routes.get(path) or (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        return


class Site:
    """A loopback HTTP server for a test: add pages, get URLs."""

    def __init__(self) -> None:
        handler = type("Handler", (_Handler,), {"routes": {}, "hits": []})
        self.handler = handler
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def page(self, path: str, html: str | bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        body = html.encode() if isinstance(html, str) else html
        self.handler.routes[path] = (status, {"Content-Type": content_type, **(headers or {})}, body)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.handler.routes[path] = (status, {"Location": to, "Content-Type": "text/html"}, b"")

    @property
    def hits(self) -> list[str]:
        return self.handler.hits

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_site() -> Iterator[Site]:
    """A fresh loopback site with no pages; tests add them with ``page()``."""
    s = Site()
    yield s
    s.close()


@pytest.fixture
def corpus() -> Path:
    """../shared/corpus; skips when absent (a checkout without ../shared). In CI it must exist."""
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI=true but the corpus is missing at {CORPUS}")
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``cxprobe`` command in a subprocess (as a user would)."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        e = {**os.environ, **(env or {})}
        e.pop("CXPROBE_DEBUG", None)
        return subprocess.run([sys.executable, "-m", "cxprobe", *args], cwd=cwd or tmp_path, env=e,
                              capture_output=True, text=True, timeout=timeout)

    return run


@pytest.fixture
def request_log(http_site: Site) -> list[tuple[str, str, dict[str, str]]]:
    """Every request ``http_site`` receives: (method, path, lower-cased headers).

    Methods other than GET and HEAD are recorded and answered 405, so a test can assert
    that the crawler never sends them. ``/slow...`` paths answer after 1.5 s.
    """
    import time

    log: list[tuple[str, str, dict[str, str]]] = []
    serve = _Handler.do_GET

    def handle(self: _Handler) -> None:
        log.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        if self.path.startswith("/slow"):
            time.sleep(1.5)
        if self.command in ("GET", "HEAD"):
            try:
                serve(self)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (deadline tests)
                pass
            return
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        setattr(http_site.handler, f"do_{method}", handle)
    return log


def stop_quickly(site: Site) -> None:
    """Stop a loopback ``Site`` without waiting out serve_forever's 0.5 s poll."""
    import socket

    stopper = threading.Thread(target=site.httpd.shutdown, daemon=True)
    stopper.start()
    # A connection wakes the select() loop so it sees the shutdown request at once.
    for _ in range(20):
        if not stopper.is_alive():
            break
        try:
            socket.create_connection(site.httpd.server_address[:2], timeout=0.2).close()
        except OSError:
            break
        stopper.join(0.05)
    stopper.join(2)
    site.httpd.server_close()


@pytest.fixture
def quick_teardown(request: pytest.FixtureRequest) -> Iterator[None]:
    """Stop ``http_site`` (when the test uses it) at once after the test.

    Use with ``pytestmark = pytest.mark.usefixtures("quick_teardown")``.
    """
    site: Site | None = request.getfixturevalue("http_site") if "http_site" in request.fixturenames else None
    yield
    if site is not None:
        stop_quickly(site)


@pytest.fixture
def second_site() -> Iterator[Site]:
    """Another loopback site on another port: another origin, out of scope by default."""
    s = Site()
    yield s
    stop_quickly(s)


@pytest.fixture(scope="module")
def browser_path() -> str:
    """A Chromium to render with; skip without one, fail without one under CI=true."""
    from cxprobe.browser import discovery, find_browser

    found = find_browser(os.environ.get("CXPROBE_BROWSER"))
    if found is None:
        message = "no Chromium found for the browser tests (" + discovery.describe_missing_browser(None, short=True) + ")"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail("CI=true: " + message)
        pytest.skip(message)
    return found.path


# --------------------------------------------------------------------------- installs
# Built and installed once per test session (tests/test_packaging.py and
# tests/test_example_plugin.py share them): cxprobe as a user gets it from a wheel, and the
# example plugin as a third party installs it, into a fresh virtual environment.

#: What a build of cxprobe reads besides its package folders.
_BUILD_FILES = ("pyproject.toml", "README.md")
_COPY_IGNORE = ("__pycache__", "*.pyc", "build", "dist", "*.egg-info", ".pytest_cache")


def package_dirs() -> dict[str, Path]:
    """Import package -> its folder in the source tree, from pyproject.toml's package-dir."""
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return {pkg: ROOT / folder for pkg, folder in setuptools["package-dir"].items()}


def _clean_copy(src: Path, dest: Path) -> None:
    import shutil

    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(*_COPY_IGNORE))


@pytest.fixture(scope="session")
def cxprobe_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cxprobe built as a wheel, as ``pip wheel .`` builds it for a user, from a clean copy of
    the sources (a build folder left in the checkout cannot add or hide a file)."""
    import shutil

    src = tmp_path_factory.mktemp("cxprobe-src")
    for name in _BUILD_FILES:
        shutil.copy(ROOT / name, src / name)
    for folder in package_dirs().values():
        _clean_copy(folder, src / folder.relative_to(ROOT))
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-input",
                        "--disable-pip-version-check", "-q", "-w", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    [wheel] = out.glob("cxprobe-*.whl")
    return wheel


class Venv:
    """A virtual environment: its folder and how to run its commands."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root = root
        self.bin = root / ("Scripts" if os.name == "nt" else "bin")
        self.python = self.bin / "python"
        #: An empty folder to run commands in (no source tree on sys.path).
        self.work = work
        #: The copy of examples/cxprobe-example-plugin installed into it.
        self.example = root

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "VIRTUAL_ENV", "CXPROBE_DEBUG", "CXPROBE_TRACE", "PYTHONHOME")}
        env["PATH"] = os.pathsep.join([str(self.bin), env.get("PATH", "")])
        return env

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run ``args[0]`` from the venv's bin folder (``cxprobe``, ``python``) in ``work``."""
        return subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=self.work, env=self.env(),
                              capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def installed_venv(tmp_path_factory: pytest.TempPathFactory, cxprobe_wheel: Path) -> Venv:
    """A fresh venv holding cxprobe from its wheel (not editable), the example plugin from a
    copy of examples/cxprobe-example-plugin (not editable, with its test extra), as users
    install them."""
    base = tmp_path_factory.mktemp("venv")
    example = base / "cxprobe-example-plugin"
    _clean_copy(ROOT / "examples" / "cxprobe-example-plugin", example)
    (base / "work").mkdir()
    venv = Venv(base / "env", base / "work")
    r = subprocess.run([sys.executable, "-m", "venv", str(venv.root)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = venv.run("python", "-m", "pip", "install", "-q", "--no-input", "--disable-pip-version-check",
                 str(cxprobe_wheel), f"{example}[test]", timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    venv.example = example
    return venv
