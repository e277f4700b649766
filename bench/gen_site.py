"""Generate a large ordinary business site for speed benchmarks: N pages of about 28 KB.

    python bench/gen_site.py OUT_DIR [--pages 1000] [--seed 1]

Every page has the same header navigation and footer (contact, pricing, policies, social
links), a hero, several sections of prose, a price table on some pages, contact details on
others, a contact form on a few, and links to the next pages, so that a breadth-first crawl
reaches all N pages from /index.html. Deterministic for a given seed. Nothing here is
hostile: it is the kind of site cxprobe should audit at 100 pages a second.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

WORDS = ("bike repair service workshop customer booking tune wheel brake chain gear frame "
         "team local shop quality parts warranty fast friendly price plan month year support "
         "question answer help order delivery pickup city ride road trail commute family").split()


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(4, 7)))


def page(i: int, n: int, rng: random.Random) -> str:
    nav = ('<nav class="navbar"><a href="/index.html">Home</a> <a href="/pricing.html">Pricing</a> '
           '<a href="/contact.html">Contact</a> <a href="/faq.html">FAQ</a> <a href="/about.html">About</a></nav>')
    nxt = [j for j in range(i + 1, min(n, i + 6))]
    links = " ".join(f'<a href="/p{j}.html">{_sentence(rng, 3)[:-1]}</a>' for j in nxt)
    sections = []
    for s in range(16):
        sections.append(f'<section id="s{s}"><h2>{_sentence(rng, 4)[:-1]}</h2><p>{_paragraph(rng)}</p>'
                        f"<p>{_paragraph(rng)}</p><p>{_paragraph(rng)}</p><ul>" + "".join(f"<li>{_sentence(rng, 6)}</li>" for _ in range(5)) +
                        "</ul></section>")
    extra = ""
    if i % 7 == 0:
        extra += ('<section class="pricing"><div class="card"><h3>Basic</h3><p class="price">$19 <span>/month</span></p></div>'
                  '<div class="card"><h3>Pro</h3><p class="price">$49 <span>/month</span></p></div></section>')
    if i % 5 == 0:
        extra += ('<section class="contact"><p>Call us: <a href="tel:+15035550142">+1 (503) 555-0142</a></p>'
                  '<p>Email: <a href="mailto:hello@wrenchworks.example">hello@wrenchworks.example</a></p>'
                  '<address>1116 Orchard Street, Riverton, OR 97000</address><p>Mon-Fri 8am - 6pm</p></section>')
    if i % 11 == 0:
        extra += ('<form action="/send" method="post"><label for="n">Name</label><input id="n" name="name">'
                  '<label for="e">Email</label><input id="e" type="email" name="email">'
                  '<textarea name="message"></textarea><button type="submit">Send</button></form>')
    footer = ('<footer class="site-footer"><a href="/privacy.html">Privacy</a> <a href="/terms.html">Terms</a> '
              '<a href="/refunds.html">Refunds</a> <a href="https://mastodon.social/@wrenchworks">Mastodon</a> '
              f'<p>© 2026 Wrenchworks. {_sentence(rng, 12)}</p></footer>')
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page {i} | Wrenchworks</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="description" content="{_sentence(rng, 12)}"></head><body>'
            f'<header class="site-header">{nav}</header><main><section class="hero"><h1>{_sentence(rng, 6)[:-1]}</h1>'
            f'<p>{_sentence(rng, 14)}</p><a class="btn btn-primary" href="/pricing.html">Start your free trial</a></section>'
            f'{"".join(sections)}{extra}<p class="more">{links}</p></main>{footer}</body></html>')


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv[1:])
    rng = random.Random(args.seed)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    n = args.pages
    named = ["index", "pricing", "contact", "faq", "about", "privacy", "terms", "refunds"]
    # The named pages plus p<i> pages, n in all; index links to p1..p5, each p<i> onwards.
    total = 0
    for i, name in enumerate(named):
        html = page(0 if name == "index" else 10_000 + i, n, rng)
        if name == "index":
            html = html.replace('<p class="more">', '<p class="more"><a href="/p1.html">Start</a> ')
        (out / f"{name}.html").write_text(html, encoding="utf-8")
        total += 1
    for i in range(1, n - len(named) + 1):
        (out / f"p{i}.html").write_text(page(i, n - len(named) + 1, rng), encoding="utf-8")
        total += 1
    size = sum(p.stat().st_size for p in out.glob("*.html"))
    print(f"wrote {total} pages to {out}, {size / total / 1024:.1f} KB a page on average")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
