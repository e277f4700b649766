"""Extraction in worker processes: the same facts as in-process, and a dying worker fails
one page only (cxprobe.crawl.pool)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from dataclasses import replace
from pathlib import Path

import pytest

from cxprobe import Document, Extractor
from cxprobe.crawl import Crawler, CrawlOptions
from cxprobe.crawl.pool import INLINE_PAGES, Extraction
from cxprobe.crawl.workers import WorkerPool
from cxprobe.document._worker import cores
from cxprobe.model import PageFacts, Site
from cxprobe.testing import extractors

from .conftest import Site as Server

PAGES = INLINE_PAGES + 12


def _build(server: Server, extra: str = "") -> None:
    for i in range(PAGES):
        # The home page links to every page: one level, read in parallel.
        nxt = "".join(f'<a href="/p{j}.html">{j}</a>' for j in range(1, PAGES)) if i == 0 else ""
        server.page(f"/p{i}.html" if i else "/", f"""<!doctype html><html lang="en"><head><title>Page {i}</title></head>
<body><header><nav><a href="/">Home</a> <a href="/contact.html">Contact</a></nav></header>
<main><h1>Bikes fixed fast, page {i}</h1><p>Call +44 20 7946 0{i:03d} or write to shop{i}@bikes.co.uk.</p>
<p>Tune-up from £{20 + i}.</p>{extra if i == PAGES - 3 else ""}{nxt}</main></body></html>""")
    server.page("/contact.html", "<!doctype html><title>Contact</title><h1>Contact</h1>")


def _crawl(server: Server, jobs: int, exs: tuple[object, ...], all_pooled: bool = False) -> tuple[Site, Crawler]:
    # all_pooled: no page is read in this process, every page goes to the workers.
    crawler = Crawler(server.url("/"), CrawlOptions(max_pages=PAGES + 5, max_depth=PAGES + 5, extractors=exs,
                                                    jobs=jobs, use_sitemap=False, ignore_robots=True,
                                                    inline_pages=0 if all_pooled else None))
    return asyncio.run(crawler.run()), crawler


class ReadBy(Extractor):
    """The process that read the page (module level, so it can travel to a worker)."""

    name = "read_by"
    description = "the id of the process that read the page"

    def extract(self, doc: Document) -> int:
        return os.getpid()


class Collector(Extractor):
    """The cycle collector's state in the process that read the page."""

    name = "collector"
    description = "the first threshold and the frozen objects of the reading process's cycle collector"

    def extract(self, doc: Document) -> tuple[int, int, int]:
        import gc

        return os.getpid(), gc.get_threshold()[0], gc.get_freeze_count()


def test_workers_keep_the_collector_off_what_they_hold(http_site: Server) -> None:
    """A worker freezes what it holds when it starts (the extraction code, inherited from
    the forkserver) and collects cycles only every WORKER_GC_THRESHOLD new objects; the
    crawl's own process keeps Python's settings."""
    import gc

    from cxprobe.document._worker import WORKER_GC_THRESHOLD

    _build(http_site)
    before = gc.get_threshold(), gc.get_freeze_count()
    site, _ = _crawl(http_site, 2, (*extractors(), Collector()), all_pooled=True)
    states = {p.facts.fact("collector") for p in site.pages if p.facts is not None}
    assert states and all(pid != os.getpid() for pid, _t, _f in states)
    assert all(threshold == WORKER_GC_THRESHOLD and frozen > 10_000 for _pid, threshold, frozen in states)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_with_no_pages_read_in_process_the_pool_reads_every_page(http_site: Server) -> None:
    """inline_pages=0: the workers read the first page too, with the same facts."""
    _build(http_site)
    exs = (*extractors(), ReadBy())
    inline, _ = _crawl(http_site, 2, exs)
    pooled, crawler = _crawl(http_site, 2, exs, all_pooled=True)
    readers = {p.url: p.facts.fact("read_by") for p in pooled.pages if p.facts is not None}
    assert len(readers) == PAGES + 1 and os.getpid() not in readers.values()
    first = {p.url: p.facts.fact("read_by") for p in inline.pages if p.facts is not None}
    assert first[http_site.url("/")] == os.getpid()  # by default the first pages are read here
    def without_reader(facts: object) -> object:
        assert facts is not None
        return replace(facts, extracted={k: v for k, v in facts.extracted.items() if k != "read_by"})  # type: ignore[attr-defined, type-var]

    facts = {p.url: without_reader(p.facts) for p in inline.pages}
    assert all(without_reader(p.facts) == facts[p.url] for p in pooled.pages)


def test_a_pool_reads_the_same_facts_as_the_crawls_own_process(http_site: Server) -> None:
    _build(http_site)
    exs = extractors()
    inline, c1 = _crawl(http_site, 1, exs)
    pooled, c2 = _crawl(http_site, 2, exs)
    assert c1.fetcher.extraction.inline_because == "one job"
    assert c2.fetcher.extraction.inline_because is None and c2.fetcher.extraction.pages == PAGES + 1
    assert len(inline.pages) == PAGES + 1
    # Same pages, same facts (every extractor's too), whichever process read them.
    by_url = {p.url: p for p in pooled.pages}
    for page in inline.pages:
        other, url = by_url[page.url], page.url
        assert other.error is None and page.error is None
        assert other.facts == page.facts, url
    contact = [p.facts.fact("contact") for p in pooled.pages if p.facts is not None]
    assert sum(1 for c in contact if c.emails) == PAGES


def _read_in_a_daemon(url: str, out: object) -> None:
    """Crawl ``url`` with two jobs in this (daemonic) process; put what the extraction did
    and the pages' facts on ``out``."""
    exs = (*extractors(), ReadBy())
    crawler = Crawler(url, CrawlOptions(max_pages=PAGES + 5, max_depth=PAGES + 5, extractors=exs, jobs=2,
                                        use_sitemap=False, ignore_robots=True))
    site = asyncio.run(crawler.run())
    readers = {p.facts.fact("read_by") for p in site.pages if p.facts is not None}
    out.put((crawler.fetcher.extraction.inline_because, readers == {os.getpid()},  # type: ignore[attr-defined]
             sorted((p.url, p.error) for p in site.pages)))


def test_a_daemon_process_reads_every_page_itself(http_site: Server) -> None:
    """A worker of another pool (multiprocessing's, a Dask worker) may start no process of
    its own: its crawl reads every page itself instead of failing at the first pooled page."""
    _build(http_site)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_read_in_a_daemon, args=(http_site.url("/"), out), daemon=True)
    proc.start()
    proc.join(120)  # what it sends is small: it exits without waiting for this process to read it
    assert proc.exitcode == 0
    because, all_here, pages = out.get(timeout=10)
    assert because is not None and "daemon" in because
    assert all_here
    assert len(pages) == PAGES + 1 and all(err is None for _u, err in pages), pages


class _NoProcesses(type(multiprocessing.get_context("spawn"))):  # type: ignore[misc]
    """A start method under which no process can start (the system's process limit)."""

    class Process(multiprocessing.get_context("spawn").Process):  # type: ignore[misc, name-defined]
        def start(self) -> None:
            import errno

            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")


class _Unstartable(Extraction):
    def _start(self, workers: int) -> WorkerPool:
        assert self._blob is not None
        return WorkerPool(workers, self._blob, context=_NoProcesses())


def test_workers_that_cannot_start_leave_every_page_to_this_process() -> None:
    from cxprobe.testing import html_page

    body = html_page("<h1>Bikes fixed fast</h1><p>Call +44 20 7946 0000.</p>").encode()
    ex = _Unstartable(extractors(), 2, inline_pages=0)

    async def read(n: int) -> list[object]:
        return [await ex.extract("http://shop.test/", {"content-type": "text/html"}, body, None, None)
                for i in range(n)]

    try:
        facts = asyncio.run(read(3))
    finally:
        ex.close()
    assert ex.inline_because is not None and "could not start" in ex.inline_because
    assert "Resource temporarily unavailable" in ex.inline_because
    expected = Extraction(extractors(), 1)
    assert facts == asyncio.run(read_one(expected, body)) * 3


NO_FORK = """
import errno, os

from cxprobe import Document, Extractor


class Marker(Extractor):
    name = "marker"
    description = "a module the forkserver imports"

    def extract(self, doc: Document) -> bool:
        return True


if os.environ.get("CXPROBE_TEST_PARENT") and os.getpid() != int(os.environ["CXPROBE_TEST_PARENT"]):
    # In the forkserver: no worker can be forked, as at the system's limit on processes.
    def _no_fork() -> int:
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    os.fork = _no_fork
"""

READ_WITHOUT_WORKERS = """
import asyncio, os, sys
os.environ["CXPROBE_TEST_PARENT"] = str(os.getpid())
from nofork import Marker
from cxprobe.crawl.pool import Extraction
from cxprobe.testing import extractors, html_page

body = html_page("<h1>Bikes fixed fast</h1><p>Call +44 20 7946 0000.</p>").encode()

async def read(ex, n):
    return [await ex.extract("http://shop.test/", {"content-type": "text/html"}, body, None, None) for _ in range(n)]

pooled = Extraction((*extractors(), Marker()), 2, inline_pages=0)
try:
    got = asyncio.run(read(pooled, 4))
finally:
    pooled.close()
want = asyncio.run(read(Extraction((*extractors(), Marker()), 1), 1))[0]
print(pooled.inline_because)
print("same" if all(g == want for g in got) else "different")
"""


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="needs the forkserver start method")
def test_a_forkserver_that_cannot_fork_a_worker_leaves_every_page_to_this_process(tmp_path: Path) -> None:
    """The forkserver forks the workers: at the system's limit on processes it dies, and
    starting a worker raises EOFError here. Every page, the first included, is read in
    this process instead (a browser-mode crawl sends its first page to the pool)."""
    import subprocess
    import sys

    (tmp_path / "nofork.py").write_text(NO_FORK, encoding="utf-8")
    # On the import path by the environment: Python 3.11's forkserver imports what it
    # preloads on the default path, not the starting process's sys.path.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.run([sys.executable, "-c", READ_WITHOUT_WORKERS], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    because, verdict = proc.stdout.strip().splitlines()[-2:]
    assert because.startswith("worker processes could not start (EOFError"), because
    assert verdict == "same"


async def read_one(ex: Extraction, body: bytes) -> list[object]:
    return [await ex.extract("http://shop.test/", {"content-type": "text/html"}, body, None, None)]


class DiesOn(Extractor):
    """An extractor that kills the process reading a page carrying its marker: what a
    crash in a C library does (module level, so it can travel to a worker)."""

    name = "dies_on"
    description = "kills its process on a marked page"

    def extract(self, doc: Document) -> bool:
        if doc.soup.find(id="kill-me") is not None:
            os._exit(3)
        return True


def test_a_worker_that_dies_fails_its_page_only(http_site: Server) -> None:
    _build(http_site, extra='<p id="kill-me">boom</p>')
    exs = (*extractors(), DiesOn())
    assert isinstance(exs[-1], Extractor)
    # Every page in the workers: pages arrive in any order, and the marked one read among
    # the first few, in this process, would end the test run itself.
    site, crawler = _crawl(http_site, 2, exs, all_pooled=True)
    failed = {p.url: p for p in site.pages if p.error}
    assert list(failed) == [http_site.url(f"/p{PAGES - 3}.html")], {u: p.error_detail for u, p in failed.items()}
    page = next(iter(failed.values()))
    assert page.error == "extract_failed" and "died" in (page.error_detail or "")
    # The pages read beside it (in the pool it broke) were read again in a new one.
    assert sum(1 for p in site.pages if p.facts is not None) == PAGES
    assert crawler.fetcher.extraction.pooled is False  # closed at the end of the crawl


class _NoSecondPool(Extraction):
    """Its first pool starts; no process can start after that."""

    def _start(self, workers: int) -> WorkerPool:
        assert self._blob is not None
        return super()._start(workers) if workers > 1 else WorkerPool(1, self._blob, context=_NoProcesses())


def test_pages_of_a_dead_worker_are_never_read_here_when_no_process_can_read_them_again() -> None:
    """A worker dies on a page (a crash in a C library); its pages in flight are read again
    alone, each in a process of its own, because one of them killed it. When no process can
    start, they are recorded as failed, never read in this process (which the page could
    kill)."""
    from cxprobe.testing import html_page

    plain = html_page("<h1>Bikes fixed fast</h1><p>Call +44 20 7946 0000.</p>").encode()
    deadly = html_page('<h1>Bikes</h1><p id="kill-me">boom</p>').encode()
    ex = _NoSecondPool((*extractors(), DiesOn()), 2, inline_pages=0)

    async def read_all() -> list[object]:
        bodies = [plain, deadly, plain, plain]
        return list(await asyncio.gather(*(ex.extract(f"http://shop.test/{i}", {"content-type": "text/html"}, b, None, None)
                                         for i, b in enumerate(bodies))))

    try:
        results = asyncio.run(read_all())
    finally:
        ex.close()
    # Read here, the marked page would have ended this test run.
    from cxprobe.document import ExtractionFailure

    deadly_result = results[1]
    assert isinstance(deadly_result, ExtractionFailure) and deadly_result.kind == "extract_failed"
    assert "no process could start" in deadly_result.detail
    for r in results:
        assert isinstance(r, PageFacts) or (isinstance(r, ExtractionFailure) and "no process could start" in r.detail), r
    assert ex.inline_because is not None and "could not start" in ex.inline_because


def test_extractors_that_cannot_travel_are_read_in_process() -> None:
    class Local(Extractor):  # defined in a function: pickle cannot name it
        name = "local"

        def extract(self, doc: Document) -> int:
            return 1

    ex = Extraction((Local(),), jobs=2)
    assert ex.inline_because is not None and "cannot be sent" in ex.inline_because


def test_the_pool_starts_in_the_background_while_the_first_pages_are_read() -> None:
    from cxprobe.crawl.pool import WARM_AT
    from cxprobe.testing import html_page

    body = html_page("<h1>Bikes fixed fast</h1><p>Call +44 20 7946 0000.</p>").encode()
    ex = Extraction(extractors(), 2)

    async def read(n: int) -> list[object]:
        return [await ex.extract("http://shop.test/", {"content-type": "text/html"}, body, None, None)
                for i in range(n)]

    try:
        first = asyncio.run(read(WARM_AT - 1))
        assert ex._warming is None and not ex.pooled  # a site this small starts nothing
        asyncio.run(read(1))
        assert ex._warming is not None and not ex.pooled  # starting, while pages are still read here
        rest = asyncio.run(read(INLINE_PAGES + 2 - WARM_AT))
        assert ex.pooled and ex._warming is None  # the warmed pool was taken, not a second one
        assert all(f == first[0] for f in rest[-2:])  # read by a worker: the same facts
    finally:
        ex.close()
    assert ex._warmed is None and not ex.pooled


# The forkserver the workers are forked from starts as soon as a pool may be needed, and
# this process waits for nothing: it imports and warms the extraction code on another core.
CHILDREN = """
import os, sys
def forkservers():
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and "multiprocessing.forkserver" in cmd:
            found.append(cmd)
    return found
"""


def _run(code: str) -> list[str]:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", CHILDREN + code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()


@pytest.mark.skipif(not os.path.isdir("/proc/self") or "forkserver" not in multiprocessing.get_all_start_methods(),
                    reason="reads the process table from /proc; needs the forkserver start method")
def test_the_forkserver_starts_with_the_extraction_not_at_the_first_pooled_page() -> None:
    out = _run("""
from cxprobe.crawl.pool import Extraction
from cxprobe.testing import extractors
Extraction(extractors(), 1)
print(len(forkservers()))  # one job: no pool, no forkserver
ex = Extraction(extractors(), 2)
print(len(forkservers()), ex.pooled)
""")
    assert out == ["0", "1", "False"]


@pytest.mark.skipif(not os.path.isdir("/proc/self") or "forkserver" not in multiprocessing.get_all_start_methods(),
                    reason="reads the process table from /proc; needs the forkserver start method")
def test_a_crawl_that_reads_more_pages_itself_first_starts_the_forkserver_with_its_workers() -> None:
    """Browser mode reads its first BROWSER_INLINE_PAGES pages in-process: no forkserver
    competes with the browser's launch; a larger site starts it with the workers, at half
    that number, and its later pages go to them."""
    out = _run("""
import asyncio
from cxprobe.crawl.pool import BROWSER_INLINE_PAGES, Extraction
from cxprobe.testing import extractors, html_page
body = html_page("<h1>Bikes fixed fast</h1><p>Call +44 20 7946 0000.</p>").encode()
ex = Extraction(extractors(), 2, inline_pages=BROWSER_INLINE_PAGES)
async def read(n):
    return [await ex.extract("http://shop.test/", {"content-type": "text/html"}, body, None, None) for _ in range(n)]
first = asyncio.run(read(BROWSER_INLINE_PAGES // 2 - 1))
print(len(forkservers()), ex.pooled)
rest = asyncio.run(read(BROWSER_INLINE_PAGES // 2 + 3))
print(len(forkservers()), ex.pooled, rest[-1] == first[0])
ex.close()
""")
    assert out == ["0", "False", "1", "True", "True"]


@pytest.mark.skipif(not os.path.isdir("/proc/self") or "forkserver" not in multiprocessing.get_all_start_methods()
                    or cores() < 2, reason="reads the process table from /proc; needs the forkserver and 2 cores")
def test_the_command_line_starts_the_forkserver_before_it_loads_the_plugins() -> None:
    out = _run("""
from cxprobe.cli import start_workers_early
for args in (["probes"], ["audit", "--help"], ["audit", "site", "--jobs", "1"], ["demo", "--jobs=1"], []):
    assert not start_workers_early(args), args
print(len(forkservers()))
assert start_workers_early(["audit", "https://shop.test/", "--render", "static"])
print(len(forkservers()), "cxprobe_plugins.clarity" in sys.modules)
""")
    assert out == ["0", "1", "False"]


def test_the_early_forkserver_imports_the_modules_of_the_built_in_extractors() -> None:
    from cxprobe.document._worker import BUILTIN_EXTRACTOR_MODULES

    assert sorted(BUILTIN_EXTRACTOR_MODULES) == sorted({type(e).__module__ for e in extractors()})


def test_workers_import_no_part_of_the_crawl() -> None:
    # What the forkserver imports, then what a worker unpickles: never the HTTP stack or
    # the crawl package (about 0.2 s a process).
    out = _run("""
import importlib
from cxprobe.document._worker import BUILTIN_EXTRACTOR_MODULES, preload
for name in preload(BUILTIN_EXTRACTOR_MODULES):
    importlib.import_module(name)
from cxprobe.document._worker import extract_in_worker, init_worker, serve
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("httpx", "httpcore", "anyio", "playwright")
                      or m.startswith(("cxprobe.crawl", "cxprobe.browser")))) or "none")
""")
    assert out == ["none"]


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="needs the forkserver start method")
def test_ctrl_c_while_the_forkserver_starts_prints_no_traceback_of_its_own() -> None:
    # Ctrl-C reaches the whole process group, just after the forkserver was started, while
    # it is still importing (about half a second). Only this process may answer it.
    import subprocess
    import sys

    code = """
import os, signal, time
from cxprobe.document._worker import BUILTIN_EXTRACTOR_MODULES, start_forkserver
assert start_forkserver(BUILTIN_EXTRACTOR_MODULES)
time.sleep(0.2)  # the forkserver's Python is up and importing (a process not yet up dies silently)
try:
    os.killpg(0, signal.SIGINT)
    time.sleep(5)
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted")
time.sleep(1.5)  # the forkserver's imports are done, or it printed its traceback
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, start_new_session=True)
    assert proc.stdout.split() == ["interrupted"], proc.stdout
    assert "Traceback" not in proc.stderr and "KeyboardInterrupt" not in proc.stderr, proc.stderr[-2000:]
