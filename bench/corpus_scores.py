"""Audit every corpus site in static mode and print the calibration table of docs/scoring.md.

    python bench/corpus_scores.py [../shared/corpus]

Prints one Markdown row per site (best first): tier, cohesion and every touchpoint score,
then the margin between the weakest good site and the strongest poor site.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

TOUCHPOINTS = ["clarity", "mobile", "contact", "pricing", "support", "policies", "journey", "consistency", "social", "feedback"]


def main(argv: list[str]) -> int:
    corpus = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus")
    labels = json.loads((corpus / "labels.json").read_text())
    tiers = labels["tiers"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for s in labels["sites"]:
            out = Path(tmp) / f"{s['site']}.json"
            subprocess.run([sys.executable, "-m", "cxprobe", "audit", str(corpus / s["site"]), "--start", s["start"],
                            "--render", "static", "--format", "json", "--output", str(out)], check=True,
                           capture_output=True)
            r = json.loads(out.read_text())
            tier = "good" if s["site"] in tiers["good"] else "poor" if s["site"] in tiers["poor"] else ""
            cells = ["—" if r["touchpoints"][t]["score"] is None else f"{r['touchpoints'][t]['score']:.0f}" for t in TOUCHPOINTS]
            rows.append((r["cohesion"]["score"], s["site"], tier, cells))
    print("| site | tier | cohesion | " + " | ".join(TOUCHPOINTS) + " |")
    print("|---" * (len(TOUCHPOINTS) + 3) + "|")
    for score, site, tier, cells in sorted(rows, reverse=True):
        print(f"| {site} | {tier} | **{score:.1f}** | " + " | ".join(cells) + " |")
    good = min(score for score, site, tier, _c in rows if tier == "good")
    poor = max(score for score, site, tier, _c in rows if tier == "poor")
    print(f"\nweakest good {good:.1f}, strongest poor {poor:.1f}, margin {good - poor:.1f}")
    return 0 if good > poor else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
