"""Text cleanup shared by the parsers: bytes to text, extraction artefacts, HTML page chrome."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from ragline.errors import TooDeeplyNested

# --- extraction artefacts ----------------------------------------------------------------------

_DROPPED_CHARS = dict.fromkeys(map(ord, "\ufffe\uffff\u00ad\u200b\u2060\ufeff"))
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2212\ufe63\uff0d"), "-")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Undo extraction artefacts that hurt retrieval.

    pypdfium2 leaves U+FFFE where a soft hyphen split a word ("spec\\ufffeified"); option
    names come with Unicode minus signs; ligatures, non-breaking and zero-width spaces and
    control characters get in the way of both keyword and dense matching. Paragraph breaks
    (one blank line) survive; other runs of whitespace become one space.
    """
    text = text.translate(_DROPPED_CHARS)
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# --- bytes to text -----------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def decode_text(data: bytes) -> str:
    """Bytes of a text file as text: by BOM, else UTF-8, else Windows-1252 (a superset of
    Latin-1 that covers most legacy Western files)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def decode_html(data: bytes) -> str:
    """HTML bytes as text: by BOM, else by its ``<meta charset>``, else as :func:`decode_text`."""
    match = _META_CHARSET.search(data[:4096])
    if match and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        try:
            return data.decode(match.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return decode_text(data)


# --- HTML page chrome --------------------------------------------------------------------------

# An XML declaration, and a DOCTYPE with an internal subset (entity declarations), which
# the HTML parser does not read but would otherwise show as text ("]>").
_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>\[]*\[.*?\]\s*>)?", re.S | re.I)
_LANDMARKS = "@role='navigation' or @role='search' or @role='banner' or @role='contentinfo'"
_PAGE_CHROME = (
    f"//nav | //*[{_LANDMARKS} or @role='complementary']"
    " | //header[not(ancestor::article or ancestor::main)]"
    " | //footer[not(ancestor::article or ancestor::main)]"
    " | //aside[not(ancestor::article or ancestor::main)]"
    " | //a[contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')]"
)


HTML_MAX_DEPTH = 256
"""libxml2's nesting limit (without ``XML_PARSE_HUGE``), counting ``<html>`` and ``<body>``."""


def strip_page_chrome(html: str) -> str:
    """The page minus navigation, site header and footer, sidebars and heading anchors.

    unstructured skips ``<nav>`` but keeps e.g. a Sphinx sidebar (``role="navigation"``),
    which then lands in chunks of every page (seen on real manuals). Headers, footers and
    asides inside an ``<article>`` or ``<main>`` are content (an article's title block) and
    stay. What lxml cannot parse is returned unchanged, for unstructured to judge.

    Raises :class:`TooDeeplyNested` when elements nest past libxml2's limit
    (:data:`HTML_MAX_DEPTH`): its parser, unstructured's too, drops everything below it
    without failing, and the document would end with "no text" instead of the reason.
    """
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser()
    try:
        # lxml refuses a str that declares its own encoding (the text is already decoded).
        root = lxml.html.document_fromstring(_PROLOG.sub("", html, count=1), parser=parser)
    except (etree.LxmlError, ValueError):
        root = None
    _refuse_deep_nesting(parser.error_log)
    if root is None:
        return html
    for element in root.xpath(_PAGE_CHROME):
        element.drop_tree()
    return str(etree.tostring(root, encoding="unicode", method="html"))


def _refuse_deep_nesting(error_log: Iterable[Any]) -> None:
    from lxml import etree

    if any(
        error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT and "depth" in error.message
        for error in error_log
    ):
        raise TooDeeplyNested(
            f"This page nests its elements more than {HTML_MAX_DEPTH} levels deep, past what "
            "the HTML reader follows, so its text cannot be read; it is probably generated "
            "or crafted. Flatten the markup (or save the page as plain text) and upload it again."
        )
