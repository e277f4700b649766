"""What reading a page, the probe catalogue and a spelling dictionary cost in instructions.

    python bench/instructions.py [extract] [--pages 30] [--warm 5] [--site DIR]
    python bench/instructions.py catalogue [--pages 500]
    python bench/instructions.py dictionary [--lang en]
    python bench/instructions.py ... --against OLD_CHECKOUT

The machine's speed moves by a third from one quarter hour to the next, and by a half from
one session to the next: the same code read the 1,000-page site at 125 pages a second in
one session and at 60 in another. Valgrind's callgrind counts the instructions a process
executes, the same on every run and every machine of the kind, so a change of a few per
cent shows, and figures of different sessions compare. Each measurement is two runs under
callgrind, one doing the work and one doing everything else (imports, warming up, reading
the input), and prints the difference:

- ``extract``: reading one page (:func:`cxprobe.testing.page_facts`, every installed
  extractor), the mean over ``--pages`` pages after ``--warm`` pages read to warm up (the
  first page of a process compiles patterns and loads tables), in the order of their file
  names: the generated 1,000-page site's (``bench/gen_site.py``), or the HTML files of
  ``--site``;
- ``catalogue``: every probe over ``--pages`` synthetic pages (``bench/probe_scale.py``'s
  site, read back from a pickle as the command gets it), in one process, in turn;
- ``dictionary``: reading the spelling dictionary of ``--lang`` (from the user's cache
  folder when it is there, as a run does; ``--no-cache`` reads it from pyspellchecker's
  file, as a first run does).

``--against OLD_CHECKOUT`` measures another checkout of cxprobe the same way (its
``cxprobe`` and ``plugins`` first on the import path) and prints both and their ratio.
Both checkouts' ``.pyc`` files are written first, the hash seed is fixed, and the spelling
dictionary is put in the user's cache first (unless ``--no-cache``), so that a figure is
the same from run to run. Needs ``valgrind`` (Debian: ``apt-get install valgrind``) and
cxprobe installed in the Python that runs this (its plugins are found by their entry
points); a measurement takes one to a few minutes (callgrind runs code about fifty times
slower).
"""

from __future__ import annotations

import argparse
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_speed import compile_checkout, env_with_path, import_path_for  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

#: The script each measurement runs under callgrind: argv is (work, input, count, ...).
CHILD = r"""
import pickle, sys
work, source, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
if work == "extract":
    from cxprobe.testing import page_facts
    warm = int(sys.argv[4])
    files = sorted(p for p in __import__("pathlib").Path(source).rglob("*.html"))
    for f in files[:warm + count]:
        page_facts(f.read_bytes(), url="https://site.example/" + f.name)
elif work == "catalogue":
    import cxprobe, cxprobe_plugins  # the checkout measured, before probe_scale puts its own first
    sys.path.insert(0, sys.argv[4])
    from probe_scale import run
    site = pickle.loads(open(source, "rb").read())
    from cxprobe.testing import plugin_manager
    plugin_manager().registry()
    if count:
        run(site)
elif work == "dictionary":
    from cxprobe_plugins import _spelling
    import spellchecker
    if count:
        _spelling._checker(source)
        _spelling._frequent_floor(source)
"""


def _env(pythonpath: str | None, env_extra: dict[str, str] | None) -> dict[str, str]:
    # The same hash seed every run: set and dict orders, and so the work, do not move.
    return env_with_path(pythonpath, PYTHONHASHSEED="0", **(env_extra or {}))


def instructions(args: list[str], pythonpath: str | None, env_extra: dict[str, str] | None = None) -> int:
    """Instructions callgrind counts for ``python -c CHILD args`` (the checkout at
    ``pythonpath`` first on the import path)."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD,
                           *args], capture_output=True, text=True, env=_env(pythonpath, env_extra),
                          cwd=pythonpath or tempfile.gettempdir())
    found = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"instructions: the measured run failed (exit {proc.returncode}): {proc.stderr.strip()[-800:]}")
    return int(found.group(1))


def measure(work: str, source: str, count: int, extra: list[str], pythonpath: str | None,
            env_extra: dict[str, str] | None = None) -> float:
    """Instructions the work costs: a unit of it (a page) for ``extract``, the whole of it
    otherwise."""
    base = instructions([work, source, "0", *extra], pythonpath, env_extra)
    done = instructions([work, source, str(count), *extra], pythonpath, env_extra)
    return (done - base) / (count if work == "extract" else 1)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("work", nargs="?", default="extract", choices=("extract", "catalogue", "dictionary"))
    ap.add_argument("--pages", type=int, help="pages read (extract: 30) or synthetic pages judged (catalogue: 500)")
    ap.add_argument("--warm", type=int, default=5, help="extract: pages read first, not counted")
    ap.add_argument("--site", help="extract: the HTML files of this folder instead of a generated site")
    ap.add_argument("--lang", default="en", help="dictionary: its language")
    ap.add_argument("--no-cache", action="store_true", help="dictionary: read pyspellchecker's file, not the cache")
    ap.add_argument("--against", help="another checkout of cxprobe, measured the same way")
    args = ap.parse_args(argv[1:])
    if shutil.which("valgrind") is None:
        ap.error("valgrind is not installed (Debian: apt-get install valgrind)")
    checkouts = [ROOT] + ([Path(args.against).resolve()] if args.against else [])
    for root in checkouts:
        if not (root / "cxprobe" / "__init__.py").is_file() or not (root / "plugins").is_dir():
            ap.error(f"not a cxprobe checkout: {root}")
        # Its .pyc files written first: else the first run under callgrind compiles what the
        # second one reads compiled, and the difference comes out short.
        compile_checkout(root)
    sys.path.insert(0, str(ROOT / "bench"))
    with tempfile.TemporaryDirectory() as tmp:
        env_extra: dict[str, str] = {}
        extra: list[str] = []
        if args.work == "extract":
            count = args.pages or 30
            source = str(Path(args.site).resolve()) if args.site else None
            if source is None:
                source = str(Path(tmp) / "site")
                subprocess.run([sys.executable, str(ROOT / "bench" / "gen_site.py"), source, "--pages", "1000"],
                               check=True, capture_output=True)
            files = len(list(Path(source).rglob("*.html")))
            if files <= args.warm:
                ap.error(f"{source} holds {files} HTML files: no more than --warm {args.warm}")
            count = min(count, files - args.warm)
            extra = [str(args.warm)]
            unit = "a page"
        elif args.work == "catalogue":
            count = args.pages or 500
            from probe_scale import build_site  # type: ignore[import-not-found]

            source = str(Path(tmp) / "site.pickle")
            Path(source).write_bytes(pickle.dumps(build_site(count), protocol=pickle.HIGHEST_PROTOCOL))
            extra = [str(ROOT / "bench")]
            unit = f"the catalogue over {count} pages"
        else:
            count, source, unit = 1, args.lang, f"reading the {args.lang} dictionary"
            if args.no_cache:
                blocked = Path(tmp) / "no-cache"
                blocked.write_text("a file, so there is no cache folder")
                env_extra["XDG_CACHE_HOME"] = str(blocked)
        here = Path(tmp) / "new"
        here.mkdir()
        if args.work != "extract" and not args.no_cache:
            # The spelling dictionary in the cache first, as a run finds it from its second
            # run on (the catalogue's pages are English): what is measured is reading it.
            lang = args.lang if args.work == "dictionary" else "en"
            subprocess.run([sys.executable, "-c", CHILD, "dictionary", lang, "1"], check=True, capture_output=True,
                           env=_env(import_path_for(ROOT, here), env_extra), cwd=str(here))
        new = measure(args.work, source, count, extra, import_path_for(ROOT, here), env_extra)
        print(f"this checkout: {new / 1e6:,.1f} million instructions, {unit}")
        if args.against:
            links = Path(tmp) / "old"
            links.mkdir()
            old = measure(args.work, source, count, extra, import_path_for(Path(args.against).resolve(), links),
                          env_extra)
            print(f"{args.against}: {old / 1e6:,.1f} million instructions, {unit}")
            print(f"new/old: {new / old:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
