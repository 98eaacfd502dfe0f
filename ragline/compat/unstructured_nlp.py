"""unstructured's spaCy loader: a blank, offline English pipeline. Checked against
unstructured 0.27.35 (:data:`ragline.compat.CHECKED_AGAINST`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any


def use_offline_nlp() -> None:
    """Gives unstructured a blank spaCy English pipeline with a sentencizer.

    unstructured >= 0.27 calls ``spacy.load("en_core_web_sm")`` on first use and, when the
    model is missing, downloads it from GitHub (fails offline; behind a dropping firewall it
    hangs). Patches ``unstructured.nlp.tokenize._load_spacy_model``, which the cached
    ``_get_nlp`` calls at call time, and clears that cache. The blank pipeline splits
    sentences but tags no parts of speech, so titles are guessed less well outside markup
    (:mod:`ragline.parsing.markup` corrects for it); it is also much faster and the same on
    every machine. Idempotent; call it before each partition. Checked against unstructured
    0.27.35.
    """
    from unstructured.nlp import tokenize

    if getattr(tokenize, "_ragline_offline", False):
        return
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.tokenizer = _LongWordGuard(nlp.tokenizer)
    tokenize._get_nlp.cache_clear()
    setattr(tokenize, "_load_spacy_model", lambda: nlp)  # noqa: B010 - a private hook
    setattr(tokenize, "_ragline_offline", True)  # noqa: B010


LONG_WORD_CHARS = 1000
"""No word of prose is this long; text that has one is data (JSON, base64, brackets)."""
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD_CHARS},}}")


class _LongWordGuard:
    """spaCy's tokenizer strips a word's affixes one at a time, searching the rest of the
    word each time: one run of 20,000 brackets took 69 s, a 1 MB one hours.
    unstructured only counts tokens (sentences, verbs, the share of alphabetic words) to
    guess titles, so a word of :data:`LONG_WORD_CHARS` or more is tokenised as letters of
    the same length; the elements' text is untouched."""

    def __init__(self, tokenizer: Callable[[str], Any]) -> None:
        self._tokenizer = tokenizer

    def __call__(self, text: str) -> Any:
        return self._tokenizer(_LONG_WORD.sub(lambda word: "x" * len(word[0]), text))
