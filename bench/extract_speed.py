"""How long extracting the facts of one ordinary page takes: every corpus and demo page.

    python bench/extract_speed.py [--corpus DIR] [--repeat N] [--dump FACTS.json]

Runs :func:`cxprobe.testing.page_facts` (the document and every installed extractor) on every HTML file of the real-site corpus
(../shared/corpus) and the bundled demo site, ``--repeat`` times each (default 5), and
prints the median milliseconds per page over all pages, the slowest pages, and the total.
``--dump`` writes every page's facts as JSON, so two versions of the code can be compared
fact for fact (``diff`` the two dumps): run it once per version, e.g. with
``PYTHONPATH=/path/to/old/checkout``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from cxprobe.document import to_json
from cxprobe.testing import page_facts

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEMO = ROOT / "examples" / "demo-site"


def pages(corpus: Path) -> list[tuple[str, bytes]]:
    """(url, bytes) of every HTML file of the corpus and the demo site, in a stable order."""
    out = []
    for folder, prefix in ((corpus, "corpus"), (DEMO, "demo")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.htm*")):
            rel = path.relative_to(folder).as_posix()
            out.append((f"http://{prefix}.test/{rel}", path.read_bytes()))
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--dump", type=Path)
    args = ap.parse_args(argv)
    found = pages(args.corpus)
    if not found:
        print(f"no pages under {args.corpus} or {DEMO}", file=sys.stderr)
        return 2
    headers = {"Content-Type": "text/html"}
    per_page: list[tuple[float, str, int]] = []
    facts = {}
    for url, body in found:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            f = page_facts(body, url, headers)
            times.append(time.perf_counter() - t)
        facts[url] = to_json(f)
        per_page.append((statistics.median(times) * 1000, url, len(body)))
    ms = [m for m, _u, _n in per_page]
    print(f"{len(per_page)} pages, {args.repeat} runs each: median {statistics.median(ms):.2f} ms/page, "
          f"mean {statistics.mean(ms):.2f}, total {sum(ms):.0f} ms per pass")
    for m, url, size in sorted(per_page, reverse=True)[:5]:
        print(f"  {m:8.2f} ms  {size / 1024:7.1f} KB  {url}")
    if args.dump:
        args.dump.write_text(json.dumps(facts, indent=1, sort_keys=True, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
