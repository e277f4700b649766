"""Audit an evaluation set of real sites and measure facts and findings against judgement.

    python bench/evalset.py EVALSET [--render static|browser] [--out DIR] [--site SLUG]...

EVALSET is a folder laid out like ../shared/corpus: ``sites/<slug>/`` (or ``<slug>/``) with
each site's built HTML, ``labels.json`` in the corpus format (the facts a careful human
reads off each site), and optionally ``judgements.json``: findings judged by hand,
``{"<slug> <finding id>": {"verdict": "true"|"false"|"debatable", "note": "..."}}``.

Writes into DIR (default EVALSET/runs/<mode>):

- ``<slug>.json``: each site's report;
- ``findings.md``: every finding of every site with its evidence, and the verdict when it
  was judged, for a judge to read against the HTML (JUDGING.md);
- ``unjudged.json``: findings with no verdict yet, keyed as ``judgements.json`` wants;

and prints the facts score (label checks passed) and the findings' precision
(true / (true + false)), counting a finding once however many pages it is on.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CHECKER = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "check_labels.py"


def _site_dir(root: Path, slug: str) -> Path:
    return root / "sites" / slug if (root / "sites" / slug).is_dir() else root / slug


def audit(root: Path, site: dict[str, Any], mode: str, out: Path) -> tuple[dict[str, Any], float]:
    report_path = out / f"{site['site']}.json"
    t = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(_site_dir(root, site["site"])),
                           "--start", site.get("start", "/index.html"), "--render", mode, "--format", "json",
                           "-o", str(report_path)], capture_output=True, text=True, timeout=900)
    elapsed = time.monotonic() - t
    if proc.returncode not in (0, 1) or not report_path.is_file():
        raise SystemExit(f"{site['site']}: cxprobe exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return json.loads(report_path.read_text(encoding="utf-8")), elapsed


def check(labels: Path, slug: str, report_path: Path) -> tuple[int, int, list[str]]:
    proc = subprocess.run([sys.executable, str(CHECKER), str(labels), slug, str(report_path)],
                          capture_output=True, text=True, timeout=60)
    lines = proc.stdout.splitlines()
    passed = sum(1 for line in lines if line.startswith("ok"))
    failed = [line for line in lines if line.startswith("FAIL")]
    return passed, len(failed), failed


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("evalset", type=Path)
    ap.add_argument("--render", default="static", choices=("static", "browser"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--site", action="append", default=[])
    args = ap.parse_args(argv[1:])
    root: Path = args.evalset
    labels_path = root / "labels.json"
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    judged_path = root / "judgements.json"
    judged: dict[str, dict[str, str]] = json.loads(judged_path.read_text()) if judged_path.is_file() else {}
    out: Path = args.out or root / "runs" / args.render
    out.mkdir(parents=True, exist_ok=True)
    sites = [s for s in labels["sites"] if not args.site or s["site"] in args.site]

    facts_ok = facts_all = 0
    verdicts = {"true": 0, "false": 0, "debatable": 0}
    unjudged: dict[str, dict[str, Any]] = {}
    md = [f"# Findings of cxprobe on {root.name} ({args.render} mode)", ""]
    fails_all: list[str] = []
    for site in sites:
        slug = site["site"]
        report, elapsed = audit(root, site, args.render, out)
        passed, failed, fails = check(labels_path, slug, out / f"{slug}.json")
        facts_ok += passed
        facts_all += passed + failed
        fails_all.extend(fails)
        md += [f"## {slug}", "",
               f"cohesion {report['cohesion']['score']}, {report['crawl']['pages']} pages, {elapsed:.1f} s; "
               f"facts {passed}/{passed + failed}", ""]
        md += [f"- {line}" for line in fails]
        for f in report["findings"]:
            key = f"{slug} {f['id']}"
            verdict = judged.get(key, {}).get("verdict")
            if verdict in verdicts:
                verdicts[verdict] += 1
            else:
                unjudged[key] = {"probe": f["probe"], "severity": f["severity"], "title": f["title"],
                                 "message": f["message"], "pages": f["pages"], "examples": f["examples"][:3]}
            md.append(f"### [{verdict or 'unjudged'}] {f['severity']} {f['probe']}: {f['title']} ({f['pages']} pages)  `{key}`")
            md.append("")
            md.append(f"{f['message']}")
            for ex in f["examples"][:3]:
                md.append(f"- `{ex['url']}` `{ex['selector']}` {json.dumps(ex['snippet'][:160])}")
            note = judged.get(key, {}).get("note")
            if note:
                md.append(f"- judge: {note}")
            md.append("")
    (out / "findings.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "unjudged.json").write_text(json.dumps(unjudged, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    judged_n = verdicts["true"] + verdicts["false"]
    precision = verdicts["true"] / judged_n if judged_n else float("nan")
    print(f"sites {len(sites)}; facts {facts_ok}/{facts_all} ({100 * facts_ok / max(facts_all, 1):.1f} %)")
    for line in fails_all:
        print("  " + line)
    print(f"findings judged: {verdicts['true']} true, {verdicts['false']} false, {verdicts['debatable']} debatable; "
          f"precision {100 * precision:.1f} %; unjudged {len(unjudged)} (see {out / 'unjudged.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
