"""How fast the static crawl is over a folder target: pages per second, median of runs.

    python bench/crawl_speed.py [--pages N] [--runs N] [--words N] [--site DIR]

Builds a synthetic site of N small pages (each linking to the next ten and home), opens
it as a folder target (cxprobe.target.open_target) and runs the real crawler (fetch +
extraction) over it with --max-pages N, answering requests in-process as the CLI does
(cxprobe.crawl.local; --loopback fetches over the folder's 127.0.0.1 server instead).
Prints one line per run and the median pages per second. Small pages make the per-request
cost of the crawler visible; --words makes pages heavier. CPU time (this process: the
crawler, the first pages' extraction and, with --loopback, the server's threads) is
steadier than wall time on a shared machine. --site crawls an existing folder instead (for
instance one made by bench/gen_site.py, whose 28 KB pages weigh on extraction rather than
fetching).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cxprobe.crawl import Crawler, CrawlOptions
from cxprobe.target import open_target


def build(root: Path, pages: int, words: int) -> None:
    text = " ".join(["customer"] * words)
    for i in range(pages):
        links = "".join(f'<a href="/p{j}.html">page {j}</a>' for j in range(i + 1, min(pages, i + 11)))
        name = "index.html" if i == 0 else f"p{i}.html"
        (root / name).write_text(f"<!doctype html><html lang=en><head><title>Page {i}</title></head><body>"
                                 f'<nav><a href="/">Home</a></nav><h1>Page {i}</h1><p>{text}</p>{links}</body></html>')


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--words", type=int, default=50)
    ap.add_argument("--site", type=Path, default=None, help="crawl this folder instead of a generated one")
    ap.add_argument("--loopback", action="store_true",
                    help="fetch over the loopback server, not in-process as the CLI does (cxprobe.crawl.local)")
    args = ap.parse_args(argv)
    import asyncio

    rates: list[float] = []
    cpu: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = args.site or Path(tmp)
        if args.site is None:
            build(root, args.pages, args.words)
        with open_target(str(root)) as target:
            for run in range(args.runs):
                opts = CrawlOptions(max_pages=args.pages, max_depth=args.pages, deadline=600,
                                    sitemap_urls=target.files, use_sitemap=False,
                                    local_folder=None if args.loopback else target.local_folder)
                t, c = time.perf_counter(), time.process_time()
                site = asyncio.run(Crawler(target.start_url, opts).run())
                dt, dc = time.perf_counter() - t, time.process_time() - c
                rates.append(site.stats.pages / dt)
                cpu.append(dc / site.stats.pages * 1000)
                print(f"run {run + 1}: {site.stats.pages} pages in {dt:.2f} s = {rates[-1]:.0f} pages/s, "
                      f"{cpu[-1]:.2f} ms CPU per page")
    print(f"median: {statistics.median(rates):.0f} pages/s, {statistics.median(cpu):.2f} ms CPU per page "
          f"over {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
