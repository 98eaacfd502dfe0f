"""CSV and e-mail through the standard library."""

from __future__ import annotations

import csv
import io
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from ragline.cleaning import clean_text, decode_text
from ragline.documents import TABLE_CELL, DocumentKind, Section, table_cell
from ragline.errors import CorruptDocument, NoTextFound, TooDeeplyNested
from ragline.parsing.markup import html_sections


def parse_csv(path: Path) -> list[Section]:
    """One section per data row, cells joined by ``|``; ``heading`` is the header row, so the
    chunker can repeat it above every pack of rows."""
    text = decode_text(path.read_bytes())
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:16384], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [
            cells
            for row in csv.reader(io.StringIO(text), dialect)
            if any(cells := [table_cell(clean_text(cell)) for cell in row])
        ]
    except csv.Error as exc:
        raise CorruptDocument(
            f"This CSV file cannot be read ({exc}); check that it is plain comma-, semicolon- "
            "or tab-separated text."
        ) from exc
    if len(rows) < 2:
        raise NoTextFound("This CSV file has no data rows below its header.")
    header = TABLE_CELL.join(rows[0])
    return [Section(text=TABLE_CELL.join(row), heading=header, is_table=True) for row in rows[1:]]


_EMAIL_HEADERS = ("From", "To", "Cc", "Date", "Subject")
# A digest may hold digests; deeper nesting than this is no mail anyone sends.
_MAX_NESTING = 4


def parse_email(path: Path) -> list[Section]:
    """The main headers and the text body (plain text preferred, else HTML), then each mail
    the message carries inline (a digest's members, a forwarded mail) as a section of its
    own; attachments are ignored."""
    try:
        with path.open("rb") as file:
            message = BytesParser(policy=policy.default).parse(file)
        assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
        sections = _message_sections(message, 0)
    except RecursionError as exc:
        # The standard library's parser and get_body recurse once per multipart level;
        # mail clients nest a handful.
        raise TooDeeplyNested(
            "This e-mail nests its parts inside each other too deeply to read (mail programs "
            "nest a few levels; this has hundreds); it is probably damaged or crafted. "
            "Forward the message again or save it as plain text and upload that."
        ) from exc
    if not sections:
        raise NoTextFound("This e-mail has no readable headers or text body.")
    return sections


def _message_sections(message: EmailMessage, depth: int) -> list[Section]:
    header_lines = [
        f"{name}: {value}" for name in _EMAIL_HEADERS if (value := _header(message, name))
    ]
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if isinstance(body_part, EmailMessage):
        body = _part_text(body_part)
        if body_part.get_content_subtype() == "html":
            body = _html_to_text(body)
    # get_body never looks inside message/rfc822 parts, so each is read here once.
    inner = [
        section
        for part in (_inline_messages(message) if depth < _MAX_NESTING else [])
        for section in _message_sections(part, depth + 1)
    ]
    subject = _header(message, "Subject")
    own = []
    if body.strip() or (len(header_lines) >= 2 and not inner):
        own = [Section(text="\n".join(header_lines) + "\n\n" + body, heading=subject or None)]
    return own + inner


def _inline_messages(message: EmailMessage) -> list[EmailMessage]:
    """The mails carried inline: the members of a ``multipart/digest`` (whose parts are
    ``message/rfc822`` by default) or a mail forwarded inline, in order."""
    found: list[EmailMessage] = []
    for part in message.iter_parts():
        if not isinstance(part, EmailMessage) or part.is_attachment():
            continue
        if part.get_content_type() == "message/rfc822":
            found += [m for m in part.iter_parts() if isinstance(m, EmailMessage)]
        elif part.is_multipart():
            found += _inline_messages(part)
    return found


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError, IndexError):  # a malformed header: keep its raw text
        raw = message.get_all(name, failobj=[])
        return str(raw[0]).strip() if raw else ""


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset or broken encoding
        payload = part.get_payload(decode=True)
        content = decode_text(payload) if isinstance(payload, bytes) else str(payload or "")
    return content if isinstance(content, str) else decode_text(bytes(content))


def _html_to_text(html: str) -> str:
    return "\n\n".join(section.text for section in html_sections(html, DocumentKind.EMAIL))
