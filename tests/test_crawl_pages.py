"""The crawl's count of kept pages (``--max-pages`` asks it before every batch) follows
every change to the pages it holds, without counting them again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxprobe.crawl.crawler import _Pages
from cxprobe.model import Page
from cxprobe.testing import page_facts

FACTS = page_facts("<title>A page</title><p>Hello</p>", "https://a.example/")


def _page(url: str, status: int | None) -> Page:
    """A page in the Definitions' sense for 200, an error page for 404, a failed fetch for None."""
    if status == 200:
        return Page(url=url, status=200, depth=0, content_type="text/html", facts=FACTS)
    return Page(url=url, status=status, depth=0, error="http_error" if status else "timeout")


@given(st.lists(st.tuples(st.sampled_from(["set", "del"]), st.integers(0, 5), st.sampled_from([200, 404, None])),
                max_size=60))
def test_kept_is_the_number_of_ok_pages_after_any_changes(ops: list[tuple[str, int, int | None]]) -> None:
    pages = _Pages({"https://a.example/": _page("https://a.example/", 200)})
    for op, n, status in ops:
        url = f"https://a.example/{n}"
        if op == "set":
            pages[url] = _page(url, status)
        elif url in pages:
            del pages[url]
        assert pages.kept == sum(1 for p in pages.values() if p.ok)


def test_the_pages_start_counted_and_refuse_changes_that_would_go_uncounted() -> None:
    pages = _Pages({"https://a.example/": _page("https://a.example/", 200),
                    "https://a.example/x": _page("https://a.example/x", 404)})
    assert pages.kept == 1
    pages["https://a.example/x"] = _page("https://a.example/x", 200)  # fetched again, now a page
    assert pages.kept == 2
    for change in (lambda: pages.pop("https://a.example/"), lambda: pages.update({}), pages.clear, pages.popitem,
                   lambda: pages.setdefault("https://a.example/y", _page("https://a.example/y", 200))):
        with pytest.raises(TypeError):
            change()
    with pytest.raises(TypeError):
        pages |= {}
    assert pages.kept == 2 and len(pages) == 2
