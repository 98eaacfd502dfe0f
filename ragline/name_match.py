"""How much of a file's name a question mentions.

People name their files for what they hold ("git-describe.docx", "elec-equip.csv",
"setup-git-server-over-http.eml"), and ask in the same words: "can git describe use
lightweight tags?". Both rankings see the name only in each chunk's context line, where a
passage that repeats the question's other words outweighs it; the fusion adds this share
on top (``ragline.fusion``).

Words are runs of letters and digits of three or more characters that are not only digits
(versions, years and language codes say nothing of a file's subject). A name's word counts
as mentioned when it and one of the question's words begin the other ("elec" and
"electrical", "tags" and "tag"): a stemmer for every language the names could be in would
buy little over that.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]{3,}")


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if not w.isdigit()]


def mentioned_share(question: str, filename: str) -> float:
    """The share (0..1) of the file name's words, its extension aside, the question mentions."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    name_words = _words(stem)
    if not name_words:
        return 0.0
    asked = _words(question)
    mentioned = sum(any(a.startswith(n) or n.startswith(a) for a in asked) for n in name_words)
    return mentioned / len(name_words)
