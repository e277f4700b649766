"""Generate ``docs/probes/<id>.md`` from the registered probes' metadata.

The pages are written from the same text ``cxprobe explain`` prints, so the docs cannot
drift from the code: ``python -m cxprobe.docgen docs/probes`` rewrites them and a test
checks they are current.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from .plugins import PluginManager, get_plugin_manager


def probe_page(pm: PluginManager, probe_id: str) -> str:
    """The Markdown page of one probe."""
    reg = pm.registry()
    p = reg.probes[probe_id]
    tp = reg.touchpoints.get(p.touchpoint)
    browser = "yes — not applicable in static mode" if "rendering" in p.requires else "no"
    profile_weights = ", ".join(f"{k} {v:g}" for k, v in sorted(p.profile_weights.items())) or "none"
    lines = [
        f"# `{p.id}`",
        "",
        f"**Touchpoint:** [{p.touchpoint}](index.md#{p.touchpoint})" + (f" — *{tp.question}*" if tp else ""),
        "",
        "| | |",
        "|---|---|",
        f"| passes | {p.title} |",
        f"| fails | {p.failure_title} |",
        f"| weight in its touchpoint | {p.weight:g} (profile overrides: {profile_weights}) |",
        f"| needs a browser | {browser} |",
        f"| plugin | `{pm.owner('probe', p.id)}` |",
        "",
        "## What it checks, why it matters, how to fix it",
        "",
        textwrap.dedent(p.description).strip(),
        "",
        "A probe passes at score 0.9 or more. Its findings appear in the report's `findings`",
        "list, deduplicated across pages. See [scoring](../scoring.md) for how the score rolls up.",
        "",
        f"Print this page in a terminal with `cxprobe explain {p.id}`.",
        "",
    ]
    return "\n".join(lines)


def index_page(pm: PluginManager) -> str:
    reg = pm.registry()
    lines = ["# Probes", "", "Every built-in probe, by touchpoint. `cxprobe probes` lists the installed ones,",
             "third-party plugins included; `cxprobe explain ID` prints a probe's page.", ""]
    for tid in sorted(reg.touchpoints):
        tp = reg.touchpoints[tid]
        lines += [f"## {tid}", "", f"*{tp.question}* — default weight {tp.weight:g}"
                  + (", profiles: " + ", ".join(f"{k} {v:g}" for k, v in sorted(tp.weights.items())) if tp.weights else ""), "",
                  "| probe | passes when | weight | browser |", "|---|---|---|---|"]
        for pid in sorted(reg.probes):
            p = reg.probes[pid]
            if p.touchpoint != tid:
                continue
            lines.append(f"| [`{pid}`]({pid}.md) | {p.title} | {p.weight:g} | {'yes' if 'rendering' in p.requires else 'no'} |")
        lines.append("")
    return "\n".join(lines)


def expected_files(pm: PluginManager, builtin_only: bool = True) -> dict[str, str]:
    """file name -> content for every (built-in) probe, plus index.md."""
    reg = pm.registry()
    out = {"index.md": index_page(pm)}
    for pid in sorted(reg.probes):
        if builtin_only and not pm.owner("probe", pid).startswith("cxprobe:"):
            continue
        out[f"{pid}.md"] = probe_page(pm, pid)
    return out


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "docs/probes")
    target.mkdir(parents=True, exist_ok=True)
    for name, text in expected_files(get_plugin_manager()).items():
        (target / name).write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
