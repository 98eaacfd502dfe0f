"""unstructured's spaCy loader, replaced by a blank offline pipeline."""

from __future__ import annotations

import inspect
import time

from ragline import compat
from tests.ragline.compat.inspection import assert_checked


def test_use_offline_nlp_replaces_unstructureds_spacy_loader() -> None:
    assert_checked("unstructured")
    from unstructured.nlp import tokenize

    source = inspect.getsource(tokenize)  # the attributes themselves may be patched already
    assert "def _load_spacy_model() -> spacy.language.Language:" in source
    assert "return _load_spacy_model()" in inspect.getsource(tokenize._get_nlp.__wrapped__)
    assert hasattr(tokenize._get_nlp, "cache_clear")

    compat.use_offline_nlp()
    assert tokenize._get_nlp().pipe_names == ["sentencizer"]


def test_a_word_of_thousands_of_brackets_tokenises_in_linear_time() -> None:
    """JSON-like text under .txt (20,000 brackets took 69 s in spaCy) spent two minutes in
    the parser (issue 22)."""
    from unstructured.nlp import tokenize

    compat.use_offline_nlp()
    nlp = tokenize._get_nlp()
    started = time.perf_counter()
    doc = nlp("[" * 50_000 + " ok. " + "]" * 50_000)
    assert time.perf_counter() - started < 2
    assert doc.text == "x" * 50_000 + " ok. " + "x" * 50_000  # counted, never shown
    assert [t.text for t in nlp("Short words (stay as they are).")][:3] == ["Short", "words", "("]
