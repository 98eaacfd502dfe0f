from __future__ import annotations

import socket
from email.message import EmailMessage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from pathlib import Path

import pptx
import pytest
from pptx.util import Inches

from ragline.documents import DocumentKind, Section
from ragline.errors import CorruptDocument, EncryptedDocument, NoTextFound, TooDeeplyNested
from ragline.parsing import NO_TEXT, parse_file
from tests.factories.files import make_docx, make_eml, make_encrypted_pdf, make_pdf, make_pptx
from tests.factories.hostile import deep_email, deep_markdown_list, deep_markdown_quote, email

HTML = """<!DOCTYPE html><html><head><title>Guide</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/docs">Documentation index</a></li></ul></nav>
<h1>Guide</h1><p>This guide explains the tool. Read it first.</p><p>Back to top</p>
<h2>Setup</h2><p>Install it with pip and run the setup command.</p><p>Back to top</p>
<h2>Usage</h2><p>Call the main function with a path.</p><p>Back to top</p>
<table><tr><th>option</th><th>meaning</th></tr><tr><td>-v</td><td>verbose</td></tr>
<tr><td>--color=auto|never</td><td>when to colour | or not</td></tr></table>
</body></html>"""


def test_pdf_gives_one_section_per_page_with_page_numbers(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "a.pdf", ["First page.\nStill the first.", "Second page."])
    assert parse_file(path, DocumentKind.PDF) == [
        Section(text="First page.\nStill the first.", page=1),
        Section(text="Second page.", page=2),
    ]


def test_pdf_soft_hyphen_at_a_line_break_is_joined(tmp_path: Path) -> None:
    """Regression: pypdfium2 returns "spec\\ufffeified" for a word hyphenated across lines."""
    path = make_pdf(tmp_path / "a.pdf", ["The value is spec\xad\nified here."])
    [section] = parse_file(path, DocumentKind.PDF)
    assert section.text == "The value is specified here."


def test_pdf_without_text_asks_for_ocr(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", ["", "  "])
    with pytest.raises(NoTextFound, match="run OCR first"):
        parse_file(path, DocumentKind.PDF)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = make_encrypted_pdf(tmp_path / "locked.pdf", ["Secret page."])
    with pytest.raises(EncryptedDocument) as caught:
        parse_file(path, DocumentKind.PDF)
    assert caught.value.message == "This PDF is password-protected; upload an unlocked copy."


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    whole = make_pdf(tmp_path / "a.pdf", ["Some text " * 50] * 3).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CorruptDocument, match=r"damaged or truncated .*\(PDFium: Data format"):
        parse_file(path, DocumentKind.PDF)


def test_docx_sections_carry_their_heading(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "a.docx",
        [
            ("h1", "Installation"),
            ("p", "Run the installer with administrator rights."),
            ("h2", "Linux"),
            ("p", "Use the package manager."),
            ("h1", "Usage"),
            ("p", "Start it."),
        ],
    )
    sections = parse_file(path, DocumentKind.DOCX)
    assert [(s.heading, s.text) for s in sections] == [
        ("Installation", "Installation\n\nRun the installer with administrator rights."),
        ("Linux", "Linux\n\nUse the package manager."),
        ("Usage", "Usage\n\nStart it."),
    ]


def test_docx_heading_without_body_keeps_its_text(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx", [("h1", "Manual"), ("h2", "Setup"), ("p", "Do this.")])
    [section] = parse_file(path, DocumentKind.DOCX)
    assert section.heading == "Setup"
    assert section.text == "Manual\n\nSetup\n\nDo this."


def test_docx_pages_come_from_the_page_breaks_word_records(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "a.docx",
        [("p", "On the first page."), ("new-page", "On the second."), ("p", "Still there.")],
    )
    sections = parse_file(path, DocumentKind.DOCX)
    assert [(s.page, s.text) for s in sections] == [
        (1, "On the first page."),
        (2, "On the second.\n\nStill there."),
    ]


def test_pptx_page_is_the_slide_number(tmp_path: Path) -> None:
    path = make_pptx(
        tmp_path / "deck.pptx",
        [("Welcome", "Welcome to the deck."), ("Results", "Revenue grew by ten percent.")],
    )
    sections = parse_file(path, DocumentKind.PPTX)
    assert [(s.page, s.heading) for s in sections] == [(1, "Welcome"), (2, "Results")]
    assert "Revenue grew by ten percent." in sections[1].text


def test_pptx_speaker_notes_follow_their_slide_under_its_heading(tmp_path: Path) -> None:
    path = make_pptx(
        tmp_path / "deck.pptx",
        [("Welcome", "Welcome to the deck."), ("Results", "Revenue grew."), ("Next", "Plans.")],
        notes={1: "Introduce the team first.", 2: "Growth came from the Lisbon office."},
    )
    sections = parse_file(path, DocumentKind.PPTX)
    assert [(s.page, s.heading, s.text) for s in sections if s.text.startswith("Speaker")] == [
        (1, "Welcome", "Speaker notes: Introduce the team first."),
        (2, "Results", "Speaker notes: Growth came from the Lisbon office."),
    ]
    assert [s.page for s in sections] == sorted(s.page or 0 for s in sections)


def test_a_slide_of_one_text_box_per_line_is_one_section_of_sentences(tmp_path: Path) -> None:
    """A slide exported from a PDF page holds each line in a text box of its own: each became
    a section, short lines were taken for headings ("using"), and no sentence was whole."""
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank
    lines = [
        "Comparing Least Squares Calculations",
        "Many statistics methods require one or more least squares problems",
        "to be solved.",
        "There are several",
        "ways to perform this calculation,",
        "using",
        "objects from the base R system.",
    ]
    for number, line in enumerate(lines):
        box = slide.shapes.add_textbox(
            Inches(1), Inches(0.5 + 0.5 * number), Inches(8), Inches(0.4)
        )
        box.text_frame.text = line
    path = tmp_path / "deck.pptx"
    presentation.save(str(path))

    [section] = parse_file(path, DocumentKind.PPTX)

    assert section.page == 1 and section.heading == "Comparing Least Squares Calculations"
    assert section.text.split("\n\n")[1:] == [
        "Many statistics methods require one or more least squares problems to be solved.",
        "There are several ways to perform this calculation, using objects from the base R system.",
    ]


def test_html_drops_navigation_and_repeated_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "guide.html"
    path.write_text(HTML)
    sections = parse_file(path, DocumentKind.HTML)
    text = "\n".join(s.text for s in sections)
    assert [s.heading for s in sections] == ["Guide", "Setup", "Usage"]
    assert "Documentation index" not in text
    assert "Back to top" not in text
    # Tables keep their rows, each splitting into as many cells as the table has columns.
    rows = "option | meaning\n-v | verbose\n--color=auto¦never | when to colour ¦ or not"
    assert rows in sections[-1].text


def test_html_nested_past_the_readers_limit_says_so(tmp_path: Path) -> None:
    """Regression: 200,000 nested ``<div>`` failed with "No text could be extracted" (lxml
    drops what lies below its depth limit without an error)."""
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 200_000 + "<p>Deep inside the nesting lies the key.</p>")
    with pytest.raises(TooDeeplyNested, match="levels deep") as raised:
        parse_file(path, DocumentKind.HTML)
    assert raised.value.code == "too_deeply_nested"


def test_html_nested_just_within_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text("<div>" * 250 + "<p>Deep inside the nesting lies the key.</p>")
    sections = parse_file(path, DocumentKind.HTML)
    assert [s.text for s in sections] == ["Deep inside the nesting lies the key."]


def test_email_whose_html_body_nests_too_deeply_says_so(tmp_path: Path) -> None:
    path = tmp_path / "deep-html.eml"
    path.write_bytes(email(b"text/html", b"<div>" * 5_000 + b"<p>The key.</p>"))
    with pytest.raises(TooDeeplyNested, match="levels deep"):
        parse_file(path, DocumentKind.EMAIL)


def test_email_of_multiparts_nested_thousands_deep_says_so(tmp_path: Path) -> None:
    path = tmp_path / "deep.eml"
    path.write_bytes(deep_email(5_000))
    with pytest.raises(TooDeeplyNested, match="too deeply") as raised:
        parse_file(path, DocumentKind.EMAIL)
    assert raised.value.code == "too_deeply_nested"


def test_email_of_multiparts_nested_a_few_deep_is_read(tmp_path: Path) -> None:
    path = tmp_path / "nested.eml"
    path.write_bytes(deep_email(20))
    sections = parse_file(path, DocumentKind.EMAIL)
    assert sections[-1].text.endswith("The innermost note.")


@pytest.mark.parametrize(
    ("data", "says"),
    [(deep_markdown_quote(5_000), "levels deep"), (deep_markdown_list(600), "too deeply")],
    ids=["quote", "list"],
)
def test_markdown_nested_past_the_readers_limit_says_so(
    tmp_path: Path, data: bytes, says: str
) -> None:
    """Regression: a quote 5,000 deep ended with "no text", a list 600 deep as "damaged"."""
    (path := tmp_path / "deep.md").write_bytes(data)
    with pytest.raises(TooDeeplyNested, match=says) as raised:
        parse_file(path, DocumentKind.MARKDOWN)
    assert raised.value.code == "too_deeply_nested"


def test_markdown_nested_a_few_levels_is_read(tmp_path: Path) -> None:
    (path := tmp_path / "nested.md").write_bytes(deep_markdown_quote(5) + deep_markdown_list(8))
    text = " ".join(s.text for s in parse_file(path, DocumentKind.MARKDOWN))
    assert "The bottom of the deep quote." in text and "item 7" in text


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Notes\n\nIntro text.\n\n## Steps\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    sections = parse_file(path, DocumentKind.MARKDOWN)
    assert [s.heading for s in sections] == ["Notes", "Steps"]
    assert sections[1].text == "Steps\n\none\n\ntwo\n\na | b\n1 | 2"


def test_text_in_legacy_encoding(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("OVERVIEW\n\nThe café opens at nine. It closes late.\n".encode("cp1252"))
    [section] = parse_file(path, DocumentKind.TEXT)
    assert section.heading == "OVERVIEW"
    assert section.text == "OVERVIEW\n\nThe café opens at nine. It closes late."


def test_short_sentence_in_text_is_not_a_heading(tmp_path: Path) -> None:
    """Without a POS tagger unstructured calls short sentences titles; they stay body text."""
    path = tmp_path / "notes.txt"
    path.write_text("Intro\n\nThe system works.\n\nIt is fast and it is also quite cheap to run.\n")
    [section] = parse_file(path, DocumentKind.TEXT)
    assert section.heading == "Intro"


def test_csv_rows_with_the_header_as_heading(tmp_path: Path) -> None:
    path = tmp_path / "fruit.csv"
    path.write_text('name;price;notes\napple;3;"red | sweet"\n\npear;4;"two\nlines"\n')
    assert parse_file(path, DocumentKind.CSV) == [
        Section(text="apple | 3 | red ¦ sweet", heading="name | price | notes", is_table=True),
        Section(text="pear | 4 | two lines", heading="name | price | notes", is_table=True),
    ]


def test_csv_with_only_a_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("a,b,c\n")
    with pytest.raises(NoTextFound, match="no data rows"):
        parse_file(path, DocumentKind.CSV)


def test_email_headers_and_plain_body_without_attachments(tmp_path: Path) -> None:
    path = make_eml(
        tmp_path / "m.eml",
        subject="Quarterly numbers",
        body="Revenue grew by 12 percent.",
        html="<p>HTML version</p>",
        attachment=b"ATTACHED-SECRET",
    )
    [section] = parse_file(path, DocumentKind.EMAIL)
    assert section.heading == "Quarterly numbers"
    assert section.text == (
        "From: Alice <alice@example.com>\nTo: Bob <bob@example.com>\n"
        "Date: Mon, 01 Jan 2024 10:00:00 +0000\nSubject: Quarterly numbers\n\n"
        "Revenue grew by 12 percent."
    )


def test_html_only_email_becomes_text(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(
        b"From: a@example.com\r\nSubject: Launch\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><body><h1>Big news</h1><p>We shipped it today.</p></body></html>\r\n"
    )
    [section] = parse_file(path, DocumentKind.EMAIL)
    assert section.text.endswith("Subject: Launch\n\nBig news\n\nWe shipped it today.")
    assert "<p>" not in section.text


def test_digest_members_are_read_as_mails(tmp_path: Path) -> None:
    """A ``multipart/digest`` failed with "no readable headers or text body": its parts are
    mails (``message/rfc822`` by default, no Content-Type of their own), which ``get_body``
    never looks inside."""
    digest = MIMEMultipart("digest")
    digest["Subject"] = "tools-users Digest, Vol 7, Issue 3"
    for number, (subject, body) in enumerate(
        [("Release date", "Version 2.1 ships on 4 March."), ("Mirrors", "The EU mirror moved.")]
    ):
        member = EmailMessage()
        member["From"] = f"user{number}@example.com"
        member["Subject"] = subject
        member.set_content(body)
        part = MIMEMessage(member)
        del part["Content-Type"], part["MIME-Version"]  # as list software writes a digest
        part.set_default_type("message/rfc822")
        digest.attach(part)
    path = tmp_path / "digest.eml"
    path.write_bytes(digest.as_bytes())
    assert b"Content-Type: message/rfc822" not in path.read_bytes()

    sections = parse_file(path, DocumentKind.EMAIL)

    assert [(s.heading, s.text) for s in sections] == [
        (
            "Release date",
            "From: user0@example.com\nSubject: Release date\n\nVersion 2.1 ships on 4 March.",
        ),
        ("Mirrors", "From: user1@example.com\nSubject: Mirrors\n\nThe EU mirror moved."),
    ]


def test_mail_forwarded_inline_follows_the_message(tmp_path: Path) -> None:
    forwarded = EmailMessage()
    forwarded["From"] = "carol@example.com"
    forwarded["Subject"] = "Original"
    forwarded.set_content("The build server is down.")
    message = EmailMessage()
    message["From"] = "alice@example.com"
    message["Subject"] = "Fwd: Original"
    message.set_content("See below.")
    message.add_attachment(forwarded, disposition="inline")
    path = tmp_path / "fwd.eml"
    path.write_bytes(message.as_bytes())

    sections = parse_file(path, DocumentKind.EMAIL)

    assert [s.heading for s in sections] == ["Fwd: Original", "Original"]
    assert sections[1].text.endswith("The build server is down.")


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_empty_file_has_no_text(tmp_path: Path, kind: DocumentKind) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    with pytest.raises(NoTextFound):
        parse_file(path, kind)


@pytest.mark.parametrize(
    "kind", [DocumentKind.TEXT, DocumentKind.MARKDOWN, DocumentKind.HTML, DocumentKind.EMAIL]
)
def test_whitespace_only_file_has_no_text(tmp_path: Path, kind: DocumentKind) -> None:
    path = tmp_path / "blank"
    path.write_text(" \n\t\n \u00a0\n")
    with pytest.raises(NoTextFound):
        parse_file(path, kind)


@pytest.mark.parametrize("kind", [DocumentKind.DOCX, DocumentKind.PPTX])
def test_garbage_office_file_is_corrupt(tmp_path: Path, kind: DocumentKind) -> None:
    path = tmp_path / "garbage"
    path.write_bytes(b"PK\x03\x04 not really a zip " * 20)
    with pytest.raises(CorruptDocument, match="damaged"):
        parse_file(path, kind)


def test_no_text_message_is_actionable() -> None:
    assert "OCR" in NO_TEXT


def test_parsing_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: unstructured >= 0.27 downloads en_core_web_sm on first use when missing.

    Forget any pipeline already loaded, forbid every network connection and spacy.load, and
    parse each unstructured-backed format: the blank pipeline must be installed again.
    """
    import spacy
    from unstructured.nlp import tokenize

    monkeypatch.setattr(tokenize, "_ragline_offline", False)
    tokenize._get_nlp.cache_clear()
    tokenize._process_cached.cache_clear()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network or model download attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(spacy, "load", refuse)

    txt = tmp_path / "a.txt"
    txt.write_text("A heading\n\nSome sentences here. Another sentence follows.\n")
    html = tmp_path / "a.html"
    html.write_text(HTML)
    docx = make_docx(tmp_path / "a.docx", [("h1", "Title"), ("p", "Words in a paragraph.")])
    for path, kind in [
        (txt, DocumentKind.TEXT),
        (html, DocumentKind.HTML),
        (docx, DocumentKind.DOCX),
    ]:
        assert parse_file(path, kind)
    assert tokenize._get_nlp().pipe_names == ["sentencizer"]
