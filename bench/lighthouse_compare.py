"""Do cxprobe's mobile verdicts agree with Lighthouse's, and what does each cost per page?

    python bench/lighthouse_compare.py [--corpus DIR] [--base-url URL] [PAGE ...]
    python bench/lighthouse_compare.py --synthetic     # edge cases near the thresholds

PAGE is a path under the corpus folder (default: a mix of good and bad pages, below).
The corpus is served on 127.0.0.1 (``python -m http.server --bind 127.0.0.1``, started
here unless --base-url points at a server already running), so both tools load the same
URLs. For each page:

* Lighthouse 12 (``lighthouse URL --only-audits=viewport,font-size,target-size``) with
  its phone emulation set to cxprobe's (375x667, DPR 2) and a full Chromium
  (``CHROME_PATH``, default ``chromium`` on PATH: Lighthouse cannot drive
  chromium-headless-shell), flags ``--headless=new --no-sandbox``;
* cxprobe (``cxprobe audit URL --render browser --max-pages 1 --only mobile``).

Verdicts compared (pass/fail per page):

=============  ==========================================  ============================
audit          cxprobe passes when                         Lighthouse passes when
=============  ==========================================  ============================
viewport       ``viewport_meta`` is 1 (width=device-width)  ``viewport`` score 1
font size      ``small_text_share`` <= 0.4                  ``font-size`` score 1 (>= 60 %
                                                           of text is >= 12 px)
tap targets    ``small_tap_targets`` is 0                   ``target-size`` score 1 (axe,
                                                           WCAG 2.5.8)
=============  ==========================================  ============================

Time per page is the wall time of each command for that one page: process start-up,
browser launch, load and audits (cxprobe renders two viewports, Lighthouse one).
Prints a Markdown table and a summary for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEFAULT_PAGES = [
    "w3c-bad/before/home.html",
    "w3c-bad/after/home.html",
    "sb-modern-business/index.html",
    "sb-modern-business/pricing.html",
    "tf-constra/index.html",
    "tf-constra/contact.html",
    "pl-smart-finance/index.html",
    "ttb-landing-page/index.html",
    "grilli/index.html",
    "krusty/index.html",
]
LIGHTHOUSE_AUDITS = "viewport,font-size,target-size"

_HEAD = ('<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">'
         "<title>{t}</title><style>body{{margin:8px;font:16px/1.5 sans-serif}} {css}</style></head><body>")
_PROSE = "Our bakery opens at seven and sells sourdough, rye and seeded loaves to the whole street. "
#: Edge cases the corpus lacks (no corpus page with a viewport meta has small text), each
#: near one of the thresholds: name -> (extra CSS, body).
SYNTHETIC = {
    "small-11px.html": ("p{font-size:11px}", "<h1>Bread</h1>" + f"<p>{_PROSE * 6}</p>"),
    "legible-12px.html": ("p{font-size:12px}", "<h1>Bread</h1>" + f"<p>{_PROSE * 6}</p>"),
    "mixed-50-small.html": (".s{font-size:10px}", f"<p class=s>{_PROSE * 3}</p><p>{_PROSE * 3}</p>"),
    "mixed-70-small.html": (".s{font-size:10px}", f"<p class=s>{_PROSE * 7}</p><p>{_PROSE * 3}</p>"),
    "mixed-30-small.html": (".s{font-size:10px}", f"<p class=s>{_PROSE * 3}</p><p>{_PROSE * 7}</p>"),
    "crowded-20px-targets.html": ("nav a{display:inline-block;width:20px;height:20px;margin:0;background:#ccc}",
                                  "<h1>Bread</h1><nav>" + "".join(f'<a href="/{i}" aria-label="p{i}"></a>' for i in range(8))
                                  + f"</nav><p>{_PROSE}</p>"),
    "spaced-20px-targets.html": ("nav a{display:inline-block;width:20px;height:20px;margin:0 8px;background:#ccc}",
                                 "<h1>Bread</h1><nav>" + "".join(f'<a href="/{i}" aria-label="p{i}"></a>' for i in range(8))
                                 + f"</nav><p>{_PROSE}</p>"),
    "inline-links.html": ("", "<h1>Bread</h1>" + "".join(f'<p>{_PROSE} See <a href="/{i}">our terms</a> and '
                                                        f'<a href="/x{i}">prices</a> before ordering.</p>' for i in range(4))),
}


def write_synthetic(folder: Path) -> list[str]:
    for name, (css, body) in SYNTHETIC.items():
        (folder / name).write_text(_HEAD.format(t=name, css=css) + body + "</body></html>", encoding="utf-8")
    return list(SYNTHETIC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lighthouse(url: str, chrome: str, out: Path) -> dict[str, Any]:
    cmd = ["lighthouse", url, "--quiet", "--output=json", f"--output-path={out}",
           "--chrome-flags=--headless=new --no-sandbox", f"--only-audits={LIGHTHOUSE_AUDITS}",
           "--screenEmulation.mobile", "--screenEmulation.width=375", "--screenEmulation.height=667",
           "--screenEmulation.deviceScaleFactor=2", "--max-wait-for-load=15000"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chrome})
    wall = time.perf_counter() - t
    if proc.returncode != 0 or not out.is_file():
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1][:160], "wall": wall}
    audits = json.loads(out.read_text())["audits"]

    def verdict(key: str) -> bool | None:
        a = audits.get(key, {})
        if a.get("scoreDisplayMode") == "notApplicable" and key == "target-size":
            return True  # no target to judge (none, or all inline): nothing fails
        return None if a.get("score") is None else a["score"] == 1

    ts_items = len((audits.get("target-size", {}).get("details") or {}).get("items") or [])
    return {"viewport": verdict("viewport"), "font": verdict("font-size"), "targets": verdict("target-size"),
            "font_value": audits.get("font-size", {}).get("displayValue", "")
            or audits.get("font-size", {}).get("explanation", "")[:40],
            "target_items": ts_items, "wall": wall}


def cxprobe(url: str, out: Path, browser: str | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "cxprobe", "audit", url, "--render", "browser", "--max-pages", "1",
           "--only", "mobile", "--format", "json", "-o", str(out)]
    if browser:
        cmd += ["--browser-path", browser]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[:160], "wall": wall}
    f = json.loads(out.read_text())["touchpoints"]["mobile"]["facts"]
    share = f.get("small_text_share")
    return {"viewport": f.get("viewport_meta") == 1, "font": None if share is None else share <= 0.4,
            "targets": None if f.get("small_tap_targets") is None else f["small_tap_targets"] == 0,
            "font_value": share, "target_items": f.get("small_tap_targets"), "wall": wall}


def mark(v: bool | None) -> str:
    return "n/a" if v is None else "pass" if v else "fail"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="*", default=DEFAULT_PAGES)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--base-url", default=None, help="a server already serving the corpus folder")
    ap.add_argument("--chrome", default=os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("google-chrome"),
                    help="full Chromium for Lighthouse (default: CHROME_PATH, else chromium on PATH)")
    ap.add_argument("--browser-path", default=None, help="browser for cxprobe (default: its own discovery)")
    ap.add_argument("--synthetic", action="store_true", help="compare on edge-case pages written here instead of the corpus")
    args = ap.parse_args(argv[1:])
    if shutil.which("lighthouse") is None:
        print("lighthouse_compare: Lighthouse is not installed (npm i -g lighthouse@12.8.2); nothing to compare", file=sys.stderr)
        return 2
    if not args.chrome:
        print("lighthouse_compare: Lighthouse needs a full Chromium (apt-get install chromium, or set CHROME_PATH)", file=sys.stderr)
        return 2
    server = None
    base = args.base_url
    synthetic_dir = None
    if args.synthetic:
        synthetic_dir = tempfile.TemporaryDirectory()
        args.pages = write_synthetic(Path(synthetic_dir.name))
        args.corpus, base = synthetic_dir.name, None
    if base is None:
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                                   "--directory", args.corpus], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i, page in enumerate(args.pages):
                url = f"{base.rstrip('/')}/{page}"
                lh = lighthouse(url, args.chrome, Path(tmp) / f"lh{i}.json")
                cx = cxprobe(url, Path(tmp) / f"cx{i}.json", args.browser_path)
                rows.append((page, cx, lh))
                print(f"{page}: cxprobe {cx.get('error') or 'ok'} {cx['wall']:.1f} s, lighthouse {lh.get('error') or 'ok'} {lh['wall']:.1f} s",
                      file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=5)
        if synthetic_dir is not None:
            synthetic_dir.cleanup()

    print("| page | viewport cx / LH | font size cx (small share) / LH | tap targets cx (small) / LH (failing) | s/page cx / LH |")
    print("|---|---|---|---|---|")
    agree = {"viewport": [0, 0], "font": [0, 0], "targets": [0, 0]}
    for page, cx, lh in rows:
        if "error" in cx or "error" in lh:
            print(f"| {page} | error: {cx.get('error') or lh.get('error')} | | | {cx['wall']:.1f} / {lh['wall']:.1f} |")
            continue
        cells = []
        for key in ("viewport", "font", "targets"):
            same = cx[key] == lh[key]
            if cx[key] is not None and lh[key] is not None:
                agree[key][0] += same
                agree[key][1] += 1
            flag = "" if same else " **differ**"
            if key == "viewport":
                cells.append(f"{mark(cx[key])} / {mark(lh[key])}{flag}")
            elif key == "font":
                cells.append(f"{mark(cx[key])} ({cx['font_value']}) / {mark(lh[key])} ({lh['font_value']}){flag}")
            else:
                cells.append(f"{mark(cx[key])} ({cx['target_items']}) / {mark(lh[key])} ({lh['target_items']}){flag}")
        print(f"| {page} | " + " | ".join(cells) + f" | {cx['wall']:.1f} / {lh['wall']:.1f} |")
    print()
    for key, (same, n) in agree.items():
        print(f"- {key}: agree on {same}/{n} pages")
    ok = [(cx["wall"], lh["wall"]) for _p, cx, lh in rows if "error" not in cx and "error" not in lh]
    if ok:
        print(f"- median wall time per page: cxprobe {statistics.median(c for c, _l in ok):.1f} s (two viewports), "
              f"Lighthouse {statistics.median(v for _c, v in ok):.1f} s (one viewport, three audits)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
