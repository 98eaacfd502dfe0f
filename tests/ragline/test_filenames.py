import pytest

from ragline.errors import InvalidInput
from ragline.filenames import clean_filename


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\notes.txt", "notes.txt"),
        ("..\\..\\Windows\\win.txt", "win.txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override removed
        ("bell\x07.md", "bell.md"),
        ("evil\x00.txt", "evil.txt"),
        (".profile.md", "profile.md"),
        ("NUL.txt", "NUL.txt"),  # only ever a label: files are stored by their hash
        ("Re\u0301sume\u0301.docx", "Résumé.docx"),  # NFC
    ],
)
def test_filenames_lose_paths_controls_and_bidi_tricks(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_long_names_keep_their_extension() -> None:
    name = clean_filename("a" * 996 + ".pdf")
    assert name == "a" * 196 + ".pdf"


@pytest.mark.parametrize("raw", ["", "   ", "..", "...", "\u202e", "/", "a/.."])
def test_a_name_with_nothing_left_is_refused(raw: str) -> None:
    """A part with no name at all was accepted as "upload" (issue 22)."""
    with pytest.raises(InvalidInput) as caught:
        clean_filename(raw)
    assert caught.value.code == "invalid_filename"
