"""soupsieve, which BeautifulSoup imports for CSS selectors no built-in extractor uses, is
imported on first use (cxprobe._deferred, issue 11: about 90 ms in each process that
reads pages). Each check runs in a fresh interpreter: the test process has imported it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_reading_a_page_with_every_builtin_extractor_does_not_import_soupsieve() -> None:
    out = _run("""
        import sys
        from cxprobe.testing import page_facts
        facts = page_facts('<html lang="en"><body><main><h1>Bikes</h1><p>Call 020 7946 0000.</p>'
                           '<a href="/contact">Contact</a></main></body></html>', 'https://shop.example/')
        assert facts.title == "" and facts.links, facts
        print(type(sys.modules["soupsieve"]).__name__, "soupsieve.css_parser" in sys.modules)
    """)
    assert out == "_Deferred False"


def test_a_selector_imports_it_and_then_it_is_the_module_itself() -> None:
    out = _run("""
        import sys, types
        import cxprobe.document
        from bs4 import BeautifulSoup
        soup = BeautifulSoup('<p class="a">x</p><p>y</p>', "lxml")
        assert [p.get_text() for p in soup.select("p.a")] == ["x"]
        assert soup.select_one("p:nth-of-type(2)").get_text() == "y"
        import soupsieve, bs4.css
        assert type(soupsieve) is types.ModuleType and sys.modules["soupsieve"] is soupsieve
        assert bs4.css.soupsieve.select is soupsieve.select  # the stand-in bs4 holds now holds the module's
        assert soupsieve.compile("p").match(soup.p)
        print(soupsieve.__version__ == bs4.css.soupsieve.__version__)
    """)
    assert out == "True"


def test_a_plugin_that_imports_it_itself_gets_the_module() -> None:
    out = _run("""
        import cxprobe.document
        from soupsieve import compile as sv_compile
        import soupsieve.css_match
        print(sv_compile("a[href]").pattern)
    """)
    assert out == "a[href]"


def test_two_threads_selecting_first_both_get_answers() -> None:
    out = _run("""
        import threading
        import cxprobe.document
        from bs4 import BeautifulSoup
        soup = BeautifulSoup("<ul>" + "<li>x</li>" * 50 + "</ul>", "lxml")
        got, errors = [], []
        def select():
            try:
                got.append(len(soup.select("ul > li")))
            except Exception as exc:
                errors.append(repr(exc))
        threads = [threading.Thread(target=select) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join(60)
        print(got == [50] * 8, errors)
    """)
    assert out == "True []"


def test_defer_import_leaves_an_imported_or_missing_module_alone() -> None:
    out = _run("""
        import sys, json
        from cxprobe._deferred import defer_import
        print(defer_import("json"), sys.modules["json"] is json, defer_import("no_such_module_here"),
              "no_such_module_here" in sys.modules, defer_import("os.path"))
    """)
    assert out == "False True False False False"
