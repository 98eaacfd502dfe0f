"""The words passages and questions are compared by: stemmed as the keyword index stems them
(Snowball English: "objects" matches "object", "cards are renewed" matches "renew a card"),
case folded, the commonest function words dropped."""

from __future__ import annotations

import re

import Stemmer

_WORD = re.compile(r"[\w][\w'-]*", re.UNICODE)
_STEMMER = Stemmer.Stemmer("english")
_STOPWORDS = frozenset(
    """a an and are as at be by can do does for from has have how i if in is it its of on or
    that the their there these this to was what when where which who why will with you your
    my we our not no""".split()
)


def stems(text: str) -> list[str]:
    """The text's meaningful words, stemmed, in their order."""
    words = [m.lower() for m in _WORD.findall(text)]
    return list(_STEMMER.stemWords([w for w in words if w not in _STOPWORDS]))
