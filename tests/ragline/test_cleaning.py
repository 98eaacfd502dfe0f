from __future__ import annotations

import pytest

from ragline.cleaning import clean_text, decode_html, decode_text, strip_page_chrome


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("spec\ufffeified", "specified"),
        ("hyphen\u00adated", "hyphenated"),
        ("\u2212\u2212verbose and x \u2212 y", "--verbose and x - y"),
        ("\ufb01le \ufb02ow", "file flow"),  # ligatures
        ("a\u00a0b\u200bc\u3000d", "a bc d"),
        ("tab\tand   spaces  \n  next line", "tab and spaces\nnext line"),
        ("bell\x07 null\x00 esc\x1b", "bell null esc"),
        ("crlf\r\nand\rcr\x0cform feed", "crlf\nand\ncr\nform feed"),
        ("para\n\n\n\n\nnext", "para\n\nnext"),
        ("lone \ud800 surrogate", "lone surrogate"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_decode_text() -> None:
    assert decode_text("naïve".encode()) == "naïve"
    assert decode_text("naïve".encode("utf-16")) == "naïve"
    assert decode_text("naïve “quoted”".encode("cp1252")) == "naïve “quoted”"
    assert decode_text("\ufeffbom".encode()) == "bom"


def test_decode_html_honours_meta_charset() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>naïve</body></html>'
    assert "naïve" in decode_html(page.encode("cp1252"))
    assert "naïve" in decode_html(page.replace("windows-1252", "nonsense").encode())


SPHINX_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<html><body>
<div class="related" role="navigation"><a href="genindex.html">index</a></div>
<header class="site">Site banner</header>
<div class="document"><main>
<article><header><h1>Install<a class="headerlink" href="#install">¶</a></h1></header>
<p>Run the installer.</p><aside>Note inside the article.</aside></article>
</main></div>
<div class="sphinxsidebar" role="navigation"><h3>Table of contents</h3></div>
<aside>Site-wide sidebar</aside><footer>Copyright</footer><div role="contentinfo">Built</div>
</body></html>"""


def test_strip_page_chrome_keeps_content_only() -> None:
    html = strip_page_chrome(SPHINX_PAGE)
    for kept in ("<h1>Install</h1>", "Run the installer.", "Note inside the article."):
        assert kept in html
    for dropped in ("index", "Site banner", "Table of contents", "Site-wide", "Copyright", "¶"):
        assert dropped not in html
    assert "Built" not in html


def test_strip_page_chrome_leaves_unparseable_input_alone() -> None:
    assert strip_page_chrome("<!-- only a comment -->") == "<!-- only a comment -->"


def test_a_doctypes_entity_declarations_are_not_shown_as_text() -> None:
    """An HTML parser skips the internal subset only up to its first ">" and showed the rest
    ("]>") as the page's first text (issue 22)."""
    html = '<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY a "b"><!ENTITY c "d">]>\n<p>Hi &a;</p>'
    page = strip_page_chrome(html)
    assert "]>" not in page and "ENTITY" not in page and "Hi &amp;a;" in page
