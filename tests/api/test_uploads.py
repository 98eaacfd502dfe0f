import pytest

from api.uploads import clean_filename


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\notes.txt", "notes.txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override removed
        ("bell\x07.md", "bell.md"),
        ("   ", "upload"),
        ("..", "upload"),
        ("Re\u0301sume\u0301.docx", "Résumé.docx"),  # NFC
    ],
)
def test_filenames_lose_paths_controls_and_bidi_tricks(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_long_names_keep_their_extension() -> None:
    name = clean_filename("a" * 300 + ".pdf")
    assert len(name) <= 200 and name.endswith(".pdf")
