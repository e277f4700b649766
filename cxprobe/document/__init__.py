"""Reading one page: decode, parse once, the generic document, then the extractors.

The order, for every page the crawl (or the browser) hands over::

    bytes --decode--> text --parse (lxml, bounded)--> tree
          --walk--> generic facts: title, lang, text by region, links, headings,
                    forms as elements, images, metadata, structured data
          --extractors (plugins, cxprobe_add_extractors)--> facts by namespace
          --> PageFacts (the tree is dropped)

- :mod:`.clock`: the page's CPU budget and the run's deadline, checked cooperatively;
- :mod:`.decode`: the declared charset, when a browser would use it;
- :mod:`.tree`: reading the tree without recursion (text, regions, selectors, visibility);
- :mod:`.walker`: the one pass over the body;
- :mod:`.structured`: JSON-LD and microdata;
- :mod:`.forms`: forms as elements;
- :mod:`.page`: :class:`Document` (what extractors read) and :func:`extract_facts`.

Everything here is a pure function of (url, headers, bytes, extractors[, budget]), so a
page can be read in a process pool; only facts cross process boundaries.
"""

from .clock import Clock, ExtractionInterrupted
from .decode import decode_html
from .page import (
    Document,
    ExtractionFailure,
    extract_facts,
    extract_page,
    extract_rendered,
    jsonable_problem,
    reread_page,
    run_extractors,
    to_json,
)
from .tree import BLOCK_TAGS, INVISIBLE_TAGS, is_hidden, norm

__all__ = [
    "BLOCK_TAGS",
    "INVISIBLE_TAGS",
    "Clock",
    "Document",
    "ExtractionFailure",
    "ExtractionInterrupted",
    "decode_html",
    "extract_facts",
    "extract_page",
    "extract_rendered",
    "is_hidden",
    "jsonable_problem",
    "norm",
    "reread_page",
    "run_extractors",
    "to_json",
]
