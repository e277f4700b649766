"""The forkserver reads one page before it forks the workers, so they start warm."""

from __future__ import annotations

import subprocess
import sys


def test_the_warm_up_reads_its_page_with_the_registered_extractors() -> None:
    # A fresh interpreter: the built-in plugin modules imported, then the warm-up module,
    # as the forkserver does: afterwards the patterns are compiled and the tables loaded.
    code = """
import cxprobe.document, cxprobe_plugins.clarity, cxprobe_plugins.facts, cxprobe_plugins.integrity
import cxprobe_plugins.support, cxprobe_plugins.contact
import cxprobe.document._warm as warm
names = [type(e).__name__ for e in warm._extractors()]
assert names.index("CodeSamplesExtractor") < names.index("CopyExtractor"), names  # requires first
from cxprobe.document import extract_page
from cxprobe_plugins._lazyre import _LazyPattern
import cxprobe_plugins.facts.phones as phones
compiled = sum(1 for v in vars(phones).values() if isinstance(v, _LazyPattern) and v._compiled is not None)
assert compiled >= 3, compiled
from textstat.backend.utils._get_cmudict import get_cmudict
from textstat.backend.utils._get_pyphen import get_pyphen
# The English syllable table and hyphenation dictionary are loaded already.
assert get_cmudict.cache_info().currsize >= 1 and get_pyphen.cache_info().currsize >= 1
facts = extract_page("http://x.test/", {"content-type": "text/html"}, warm.SAMPLE, warm._extractors())
print(len(facts.extracted["contact"].phones), facts.extracted["copy"].main_grade is not None)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    phones, graded = out.stdout.split()
    assert int(phones) >= 1 and graded == "True"
