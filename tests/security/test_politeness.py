"""A crawl that presses no harder than asked: requests at once and the gap between them per
host, and the pauses a server asks for with 429/503 and Retry-After, within the deadline."""

from __future__ import annotations

import asyncio
import email.utils
import threading
import time

from cxprobe.crawl import Crawler, CrawlOptions
from cxprobe.crawl.politeness import retry_after

from .conftest import HostileServer

HOME = "<!doctype html><title>Home</title><h1>Home</h1>" + "".join(f'<a href="/p{i}">{i}</a>' for i in range(6))


def _crawl(server: HostileServer, **kw: object) -> tuple[object, Crawler]:
    opts = CrawlOptions(**{"max_pages": 20, "use_sitemap": False, "ignore_robots": True, "timeout": 5,
                           "deadline": 20, **kw})  # type: ignore[arg-type]
    crawler = Crawler(server.url("/"), opts)
    return asyncio.run(crawler.run()), crawler


def _answer(h: object, status: int = 200, headers: dict[str, str] | None = None, body: bytes = b"<h1>ok</h1>") -> None:
    h.send_response(status)  # type: ignore[attr-defined]
    for k, v in {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)), **(headers or {})}.items():
        h.send_header(k, v)  # type: ignore[attr-defined]
    h.end_headers()  # type: ignore[attr-defined]
    h.wfile.write(body)  # type: ignore[attr-defined]


def test_retry_after_is_read_as_seconds_or_a_date() -> None:
    assert retry_after("3") == 3.0
    now = time.time()
    assert abs((retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) or 0) - 30) < 1.5
    assert retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert retry_after("soon") is None and retry_after("") is None and retry_after(None) is None
    assert retry_after("-1") is None


def test_a_server_that_asks_for_a_pause_is_waited_for_then_read(hostile: HostileServer) -> None:
    hostile.page("/", HOME)
    times: list[float] = []

    def busy(h: object) -> None:
        times.append(time.monotonic())
        if len(times) == 1:
            _answer(h, 429, {"Retry-After": "1"}, b"slow down")
        else:
            _answer(h, 200, body=b"<!doctype html><title>Busy</title><h1>Busy page</h1>")

    hostile.route("/p0", busy)
    site, crawler = _crawl(hostile)
    page = next(p for p in site.pages if p.url.endswith("/p0"))
    assert page.error is None and page.facts is not None and page.status == 200
    assert len(times) == 2 and times[1] - times[0] >= 0.95
    assert crawler.fetcher.retried == [(hostile.url("/p0"), 1.0)]
    assert any("Retry-After" in n for n in crawler.notes), crawler.notes


def test_a_pause_past_the_deadline_is_recorded_not_waited_for(hostile: HostileServer) -> None:
    hostile.page("/", HOME)
    hostile.page("/p1", "unavailable", status=503, headers={"Retry-After": "3600"})
    t = time.monotonic()
    site, crawler = _crawl(hostile, deadline=10)
    assert time.monotonic() - t < 8
    page = next(p for p in site.pages if p.url.endswith("/p1"))
    assert page.error == "http_error" and page.status == 503
    assert crawler.fetcher.retried == []
    assert [r.path for r in hostile.log].count("/p1") == 1


def test_requests_at_once_per_host_and_the_delay_between_them(hostile: HostileServer) -> None:
    hostile.page("/", HOME)
    lock = threading.Lock()
    state = {"now": 0, "most": 0}
    starts: list[float] = []

    def slow(h: object) -> None:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            starts.append(time.monotonic())
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        _answer(h)

    for i in range(6):
        hostile.route(f"/p{i}", slow)
    _crawl(hostile, per_host=1, concurrency=8)
    assert state["most"] == 1 and len(starts) == 6

    state["most"] = 0
    starts.clear()
    _crawl(hostile, per_host=8, concurrency=8, delay=0.15)
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert len(starts) == 6 and min(gaps) >= 0.13, gaps


def test_the_delay_holds_when_the_event_loop_wakes_requests_late() -> None:
    # A page read in the crawl's own process blocks the event loop: two requests whose
    # waits ended meanwhile wake together. The second waits again, so the delay holds
    # between the requests' real starts.
    from cxprobe.crawl.politeness import HostGate

    async def scenario() -> list[float]:
        gate = HostGate(per_host=8, delay=0.1)
        starts: list[float] = []

        async def request() -> None:
            async with gate.slot("shop.test", lambda: 30.0):
                starts.append(time.monotonic())

        async def page_read_in_the_loop() -> None:
            await asyncio.sleep(0.01)
            time.sleep(0.35)

        await asyncio.gather(request(), request(), request(), page_read_in_the_loop())
        return starts

    starts = sorted(asyncio.run(scenario()))
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 3 and min(gaps) >= 0.099, gaps
