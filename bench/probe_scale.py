"""How the probe catalogue and the report builder grow with the number of pages.

    python bench/probe_scale.py [--pages 1000 5000] [--fresh]

Builds a site of N pages whose facts come from small generated pages, each with its own
phone number, email address, prices and postal address (so de-duplication has N distinct
values to keep), links to its neighbours and a shared menu. The pages are read once (in
this process); then every registered probe runs over the site and the report is built,
and the seconds each probe took are printed per N, with the ratio between the largest and
the smallest N. A linear probe grows by about the ratio of the page counts; a quadratic
one by its square.

``--fresh`` measures the catalogue as the command meets it: the facts are written out with
pickle and read back by a new process (as they come back from the extraction workers), and
the catalogue runs once. A static audit runs no probe's ``warm`` (browser mode runs them
while the pages render), so the catalogue reads the spelling dictionaries itself (about
0.2-0.3 s); ``--warm`` runs every ``warm`` first, as browser mode does. Without
``--fresh``, the catalogue runs in the process that read the pages, whose caches (numbers,
e-mail domains, compiled patterns) reading them already filled: a lower figure than the
command pays.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxprobe.config import AuditConfig  # noqa: E402
from cxprobe.model import CrawlStats, Page, Site  # noqa: E402
from cxprobe.probe import Context  # noqa: E402
from cxprobe.runner import gathered, run_probe  # noqa: E402
from cxprobe.testing import page_facts, plugin_manager  # noqa: E402

ORIGIN = "https://shop.example"


def html(i: int, n: int) -> str:
    """Page i of n: its own contact details and prices, links to its neighbours."""
    nxt = " ".join(f'<a href="/p{j}.html">Next {j}</a>' for j in range(i + 1, min(n, i + 4)))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Service {i} | Wrenchworks</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<header><nav><a href="/">Home</a> <a href="/pricing.html">Pricing</a> <a href="/contact.html">Contact</a>
<a href="/faq.html">FAQ</a></nav></header>
<main><h1>Bike service number {i}</h1><p>We fix bikes in Riverton. Tune-ups, wheels and brakes, done today.</p>
<a class="btn" href="/contact.html">Book a repair</a>
<p>Call <a href="tel:+4420794{i:05d}">+44 20 794{i // 1000} {i % 1000:03d}{i % 10}</a> or write to
<a href="mailto:desk{i}@wrenchworks.co.uk">desk{i}@wrenchworks.co.uk</a>.</p>
<address>{i % 900 + 1} Orchard Street, Riverton OR 97{i % 1000:03d}</address>
<p class="price">Tune-up £{20 + i % 500}.{i % 100:02d}</p><p class="price">Plan £{5 + i % 90}/month</p>
<p>Open Mon-Fri 8am - 6pm.</p>{nxt}</main>
<footer><a href="/privacy.html">Privacy</a> <a href="/terms.html">Terms</a> <a href="/refunds.html">Refunds</a>
<p>© 2026 Wrenchworks</p></footer></body></html>"""


def build_site(n: int) -> Site:
    pages = []
    graph: dict[str, tuple[str, ...]] = {}
    depths: dict[str, int] = {}
    for i in range(n):
        url = f"{ORIGIN}/" if i == 0 else f"{ORIGIN}/p{i}.html"
        facts = page_facts(html(i, n), url)
        pages.append(Page(url=url, status=200, depth=min(i, 5), final_url=url, content_type="text/html",
                          facts=facts, size=2000))
        graph[url] = tuple(sorted({lk.url for lk in facts.links if lk.url and lk.url.startswith(ORIGIN)}))
        depths[url] = min(i, 5)
    return Site(start_url=f"{ORIGIN}/", origin=ORIGIN, pages=tuple(pages), graph=graph, depths=depths,
                hosts=("shop.example",), stats=CrawlStats(pages=n, fetched=n))


def run(site: Site) -> dict[str, float]:
    pm = plugin_manager()
    config = AuditConfig(target=ORIGIN, render="static")
    ctx = Context(site=site, config=config, rendering=None, mode="static")
    took: dict[str, float] = {}
    with gathered():  # as the runner runs them: the site's objects out of full collections
        for probe_id, probe in sorted(pm.registry().probes.items()):
            t = time.perf_counter()
            result, _issues = run_probe(probe, ctx, pm.owner("probe", probe_id), config.profile)
            took[probe_id] = time.perf_counter() - t
            if result.status == "error":
                print(f"  {probe_id}: {result.reason}", file=sys.stderr)
    return took


def run_as_runner(site: Site, one_core: bool = False) -> dict[str, float]:
    """The catalogue as the command's runner runs it (``cxprobe.runner._run_probes``: its
    order, a share on a second core for a large site on Linux, then the journeys): one
    figure, under the key ``"runner"``."""
    from cxprobe.runner import Session, _run_probes, select_probes
    from cxprobe.target import Target

    pm = plugin_manager()
    config = AuditConfig(target=ORIGIN, render="static", jobs=1 if one_core else 0)
    session = Session(config=config, target=Target(raw=ORIGIN, kind="url", start_url=f"{ORIGIN}/"), pm=pm)
    ctx = Context(site=site, config=config, rendering=None, mode="static")
    selected = select_probes(pm.registry().probes, config)
    selected = [p for p in selected if "journeys" not in p.requires] + [p for p in selected if "journeys" in p.requires]
    t = time.perf_counter()
    with gathered():
        _run_probes(session, site, None, ctx, selected, None)
    return {"runner": time.perf_counter() - t}


def fresh_run(site: Site, as_runner: bool = False, one_core: bool = False, warm: bool = False) -> dict[str, float]:
    """:func:`run` (or :func:`run_as_runner`) in a new process that reads ``site`` from a
    pickle (``warm``: each probe's ``warm`` first; see the module)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "site.pickle"
        path.write_bytes(pickle.dumps(site, protocol=pickle.HIGHEST_PROTOCOL))
        flags = (["--runner"] if as_runner else []) + (["--one-core"] if one_core else []) + (["--warm"] if warm else [])
        out = subprocess.run([sys.executable, __file__, "--load", str(path), *flags],
                             capture_output=True, text=True, check=True)
    took: dict[str, float] = json.loads(out.stdout)
    return took


def _load_and_run(path: str, as_runner: bool, one_core: bool, warm: bool) -> int:
    site = pickle.loads(Path(path).read_bytes())
    if warm:
        for probe in plugin_manager().registry().probes.values():
            probe.warm(site)
    print(json.dumps(run_as_runner(site, one_core) if as_runner else run(site)))
    return 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--fresh", action="store_true", help="run the catalogue as the command does (see above)")
    ap.add_argument("--runner", action="store_true",
                    help="run the catalogue through the command's runner (one total: probes on two cores, journeys)")
    ap.add_argument("--one-core", action="store_true", help="with --runner: no second core (as --jobs 1)")
    ap.add_argument("--warm", action="store_true", help="with --fresh: each probe's warm first, as browser mode runs them")
    ap.add_argument("--load", help=argparse.SUPPRESS)
    args = ap.parse_args(argv[1:])
    if args.warm and not (args.fresh or args.load):
        ap.error("--warm goes with --fresh")
    if args.load:
        return _load_and_run(args.load, args.runner, args.one_core, args.warm)
    results = {}
    for n in args.pages:
        t = time.perf_counter()
        site = build_site(n)
        built = time.perf_counter() - t
        if args.fresh:
            results[n] = fresh_run(site, args.runner, args.one_core, args.warm)
        else:
            results[n] = run_as_runner(site, args.one_core) if args.runner else run(site)
        where = (("in a fresh process" + (", probes warmed" if args.warm else "") if args.fresh else "in this process")
                 + (", by the runner" if args.runner else "") + (" on one core" if args.runner and args.one_core else ""))
        print(f"{n} pages: facts read in {built:.1f} s; probes {sum(results[n].values()):.2f} s ({where})", flush=True)
    lo, hi = min(args.pages), max(args.pages)
    print(f"\n{'probe':32} " + " ".join(f"{n:>9}" for n in args.pages) + f"  ratio {hi}/{lo}")
    for pid in sorted(results[lo], key=lambda p: -results[hi][p]):
        ratio = results[hi][pid] / results[lo][pid] if results[lo][pid] > 1e-4 else float("nan")
        print(f"{pid:32} " + " ".join(f"{results[n][pid]:9.3f}" for n in args.pages) + f"  {ratio:6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))


__all__ = ["build_site", "html", "run"]
