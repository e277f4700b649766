"""Extraction on hostile and oversized pages: seconds per page, or what it raised.

    python bench/extract_hostile.py [NAME ...] [--timeout S] [--budget S] [--profile NAME]

Builds each page of ``tests/security/hostile_pages.py`` (deep nesting, deep JSON-LD,
null bytes, 400 KB and 4 MB of contacts, 3,000 forms, a 4.4 MB table...) and runs
the page reader (:func:`cxprobe.testing.page_facts`: the document and every installed extractor) on it in a fresh process under ``--timeout``
(default 600 s), so a quadratic scanner shows as a time, not a hung terminal. Prints one
Markdown row per page for docs/performance.md: size, CPU and wall seconds, and the outcome (facts
counted, the budget's verdict, or the exception). ``--budget`` passes a per-page budget
(when this version of extract_facts takes one). ``--profile NAME`` prints the top of a
cProfile of that page instead.

Run it against another checkout with ``PYTHONPATH=/path/to/checkout`` from outside this
folder, to compare versions.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import multiprocessing
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path


def _load_pages() -> tuple[dict[str, Callable[[], bytes]], dict[str, Callable[[], bytes]]]:
    # By file path: putting the checkout on sys.path would shadow the cxprobe under test.
    path = Path(__file__).resolve().parents[1] / "tests" / "security" / "hostile_pages.py"
    spec = importlib.util.spec_from_file_location("hostile_pages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CRASHERS, module.LARGE


CRASHERS, LARGE = _load_pages()

URL = "https://hostile.test/page"
HEADERS = {"Content-Type": "text/html"}  # no charset: the page's own declaration is read, as from most servers


def _extract(name: str, budget: float | None) -> str:
    from cxprobe_plugins.facts import contact_details, prices

    from cxprobe.testing import page_facts

    body = {**CRASHERS, **LARGE}[name]()
    f = page_facts(body, URL, HEADERS, budget=budget)
    details = contact_details(f)
    return (f"{len(f.links)} links, {len(details.emails)} emails, {len(details.phones)} phones, "
            f"{len(prices(f))} prices, {len(f.forms)} forms, {len(details.addresses)} addresses")


def _child(name: str, budget: float | None, conn: multiprocessing.connection.Connection) -> None:
    t, cpu = time.perf_counter(), time.process_time()
    try:
        what = _extract(name, budget)
    except BaseException as exc:  # noqa: BLE001 - the point is to report what it raised
        what = f"{type(exc).__name__}: {str(exc)[:120]}"
    conn.send((time.perf_counter() - t, time.process_time() - cpu, what))


def run(name: str, timeout: float, budget: float | None) -> tuple[float | None, float | None, str]:
    """(wall seconds, CPU seconds, outcome) of one page in a fresh process; None on timeout."""
    parent, child = multiprocessing.Pipe(duplex=False)
    proc = multiprocessing.get_context("fork").Process(target=_child, args=(name, budget, child))
    proc.start()
    if parent.poll(timeout):
        wall, cpu, what = parent.recv()
        proc.join()
        return wall, cpu, what
    proc.kill()
    proc.join()
    return None, None, f"still running after {timeout:.0f} s"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="pages to run (default: all)")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--budget", type=float)
    ap.add_argument("--profile")
    args = ap.parse_args(argv)
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(_extract, args.profile, args.budget)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        return 0
    names = args.names or [*CRASHERS, *LARGE]
    from cxprobe.testing import extractors

    extractors()  # imported and loaded once here, so no child pays for it
    print("| page | size | CPU s | wall s | outcome |")
    print("|---|---|---|---|---|")
    for name in names:
        size = len({**CRASHERS, **LARGE}[name]())
        wall, cpu, what = run(name, args.timeout, args.budget)
        shown = f"> {args.timeout:.0f} | > {args.timeout:.0f}" if wall is None or cpu is None else f"{cpu:.2f} | {wall:.2f}"
        print(f"| {name} | {size / 1024:,.0f} KB | {shown} | {what} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
