"""Assemble the evaluation corpus: real documents nobody tuned retrieval on.

    python bench/fetch_eval_corpus.py [--dest bench/eval_corpus]

``bench/retrieval.py`` scores retrieval on these documents and the questions of
``bench/eval_questions.json``, which were written from them before any tuning. None of them
is in ``bench/corpus``: other packages, or other members of the same ones. The fetching,
caching, checks and manifest are ``bench/fetch_corpus.py``'s; only this list is new.

What it holds, and why:

- Near-duplicates on purpose, as real document collections have them: the pygame reference
  at two versions (2.1.3 and 2.6.1: the same module pages, edited between releases); the
  click and Flask documentation at two versions; the attrs documentation at two versions;
  the commander README at two major versions; Apache httpd module pages in English, in French
  (translated) and in German (the German manual serves the English text for pages nobody
  translated: byte-identical mirrors); the Debian New Maintainers' Guide in English and
  French; sibling CSV files (the same interest/inflation series in two layouts).
- DOCX and PPTX: the real ones found in packages are library test files with a few words
  each (a few are kept, as distractors). The others are real documents converted by
  LibreOffice (``convert=True``; the manifest names LibreOffice's version): git manual pages
  (HTML) converted to Word, R package vignettes (PDF) converted to slides, one slide a page.
  Their text is the original's; no text was written for the corpus.
- E-mail: mailing-list mails git keeps as how-tos, mails from mail-parser's and
  HyperKitty's test data, and CPython's e-mail test messages with real text (a digest among
  them).
- Sizes are capped by choice: module pages rather than whole manuals, vignettes of a few
  dozen pages, small data sets, so that ingesting it all stays near 10 minutes here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fetch_corpus import BENCH_DIR, CACHE_DIR, Doc, build, debian, npm, sdist, wheel  # noqa: E402

DEFAULT_DEST = BENCH_DIR / "eval_corpus"

PYGAME_OLD = wheel("pygame", "2.1.3")
PYGAME_NEW = wheel("pygame", "2.6.1")
STATSMODELS = wheel("statsmodels", "0.14.4")
APACHE = debian("apache2-doc", "2.4.71-1~deb12u1")
GIT_DOC = debian("git-doc", "1:2.39.5-0+deb12u3")
MAINT_GUIDE = debian("maint-guide", "1.2.53")
MAINT_GUIDE_FR = debian("maint-guide-fr", "1.2.53")
PY_TESTS = debian("libpython3.11-testsuite", "3.11.2-6+deb12u9")
HYPERKITTY = debian("python3-django-hyperkitty", "1.3.7-1")
ZOO = debian("r-cran-zoo", "1.8-11-1")
XTS = debian("r-cran-xts", "0.13.0-1")
SANDWICH = debian("r-cran-sandwich", "3.0-2-1")
STRUCCHANGE = debian("r-cran-strucchange", "1.5-3-1")
CAR = debian("r-cran-car", "3.1-1-1")
LMTEST = debian("r-cran-lmtest", "0.9.40-1")
MATRIX = debian("r-cran-matrix", "1.5-3-1")
SURVIVAL = debian("r-cran-survival", "3.5-3-1")
MULTCOMP = debian("r-cran-multcomp", "1.4-22-1")
MVTNORM = debian("r-cran-mvtnorm", "1.1-3-1+b1")
VCD = debian("r-cran-vcd", "1:1.4-11-1")
CLICK_OLD = sdist("click", "7.1.2")
CLICK_NEW = sdist("click", "8.1.7")
FLASK_OLD = sdist("flask", "2.0.3")
FLASK_NEW = sdist("flask", "3.0.3")
ATTRS_OLD = sdist("attrs", "23.2.0")
ATTRS_NEW = sdist("attrs", "24.2.0")
JINJA = sdist("jinja2", "3.1.4")
MAIL_PARSER = sdist("mail-parser", "4.8.0")
PYTHON_DOCX = sdist("python-docx", "1.2.0")
PYTHON_PPTX = sdist("python-pptx", "1.0.2")
COMMANDER_OLD = npm("commander", "9.5.0")
COMMANDER_NEW = npm("commander", "12.1.0")
WS = npm("ws", "8.18.0")
YARGS = npm("yargs", "17.7.2")

_PYGAME_REF = "pygame/docs/generated/ref/"
_APACHE = "usr/share/doc/apache2-doc/manual/"
_GIT = "usr/share/doc/git-doc/"
_HOWTO = _GIT + "howto/"
_MG = "usr/share/doc/maint-guide/html/"
_MG_FR = "usr/share/doc/maint-guide-fr/html/"
_R = "usr/lib/R/site-library/"
_R_BASE = "usr/lib/R/library/"
_SM = "statsmodels/datasets/"
_SM_RESULTS = "statsmodels/"
_MAILS = "tests/mails/"
_HK = "usr/lib/python3/dist-packages/hyperkitty/tests/testdata/"
_PY_MAIL = "usr/lib/python3.11/test/test_email/data/"
_DOCX_FILES = "features/steps/test_files/"

PYGAME_MODULES = (
    "cdrom", "color", "cursors", "display", "event", "fastevent", "font", "image", "key",
    "mixer", "mouse", "music", "pixelarray", "pixelcopy", "pygame", "rect", "scrap",
    "surfarray", "time", "touch", "transform",
)  # fmt: skip
APACHE_MODULES = (
    "mod_actions", "mod_alias", "mod_allowmethods", "mod_auth_basic", "mod_authz_host",
    "mod_brotli", "mod_buffer", "mod_cgi", "mod_dir", "mod_dumpio", "mod_env", "mod_expires",
    "mod_file_cache", "mod_info", "mod_ratelimit", "mod_reqtimeout", "mod_sed",
    "mod_setenvif", "mod_speling", "mod_status", "mod_substitute", "mod_unique_id",
    "mod_userdir", "mod_usertrack", "mod_version", "mod_vhost_alias", "mod_headers",
    "mod_log_config", "mod_mime", "mod_deflate",
)  # fmt: skip
APACHE_FRENCH = ("mod_alias", "mod_dir", "mod_expires", "mod_speling", "mod_userdir", "mod_env")
APACHE_GERMAN = ("mod_alias", "mod_ratelimit", "mod_status")
GIT_HTML_PAGES = (
    "git-am", "git-apply", "git-bisect", "git-daemon", "git-fsck", "git-for-each-ref",
    "git-interpret-trailers", "git-range-diff", "git-reflog", "git-rerere",
)  # fmt: skip
GIT_WORD_PAGES = (
    "git-stash", "git-tag", "git-notes", "git-clean", "git-cherry-pick", "git-revert",
    "git-restore", "git-switch", "git-rm", "git-mv", "git-gc", "git-grep", "git-describe",
    "git-archive", "git-bundle", "git-prune", "git-count-objects", "git-show-ref",
)  # fmt: skip
GIT_HOWTO_MAILS = (
    "keep-canonical-history-correct", "maintain-git", "rebase-from-internal-branch",
    "rebuild-from-update-hook", "recover-corrupted-blob-object",
    "recover-corrupted-object-harder", "revert-a-faulty-merge", "revert-branch-rebase",
    "separating-topic-branches", "setup-git-server-over-http", "update-hook-example",
    "using-merge-subtree", "using-signed-tag-in-pull-request",
)  # fmt: skip
CLICK_PAGES = (
    "arguments", "commands", "documentation", "exceptions", "options", "parameters",
    "prompts", "testing", "utils", "wincmd",
)  # fmt: skip
FLASK_PAGES = (
    "appcontext", "blueprints", "config", "debugging", "errorhandling", "installation",
    "logging", "patterns/fileuploads",
)  # fmt: skip
ATTRS_PAGES = (
    "comparison", "examples", "extending", "glossary", "hashing", "how-does-it-work",
    "index", "init", "names", "overview", "types", "why",
)  # fmt: skip
MAINT_GUIDE_CHAPTERS = ("first", "modify", "build", "checkit", "upload")
MAINT_GUIDE_FRENCH = ("first", "build", "upload")
STATSMODELS_DATASETS = (
    "sunspots/sunspots", "engel/engel", "china_smoking/china_smoking", "ccard/ccard",
    "heart/heart", "stackloss/stackloss", "interest_inflation/E6",
    "interest_inflation/E6_jmulti", "cpunish/cpunish", "elnino/elnino", "macrodata/macrodata",
    "elec_equip/elec_equip", "nile/nile", "spector/spector", "cancer/cancer",
    "committee/committee", "anes96/anes96", "modechoice/modechoice", "copper/copper",
    "longley/longley", "grunfeld/grunfeld", "danish_data/data", "scotland/scotvote",
    "strikes/strikes", "statecrime/statecrime", "co2/co2",
)  # fmt: skip
STATSMODELS_TEST_DATA = (
    "genmod/tests/results/iris", "discrete/tests/results/ships",
    "gam/tests/results/motorcycle", "othermod/tests/results/foodexpenditure",
    "regression/tests/results/pastes", "genmod/tests/results/epil",
    "tsa/tests/results/rgnp", "tsa/tests/results/gnpdef", "tsa/tests/results/stkprc",
    "duration/tests/results/bmt", "tsa/holtwinters/tests/results/housing-data",
)  # fmt: skip


def _slug(path: str) -> str:
    return path.rsplit("/", 1)[-1].replace("_", "-").lower()


DOCS: tuple[Doc, ...] = (
    # PDF: R package vignettes, and the Debian New Maintainers' Guide.
    *(
        Doc(ZOO, f"{_R}zoo/doc/{name}.pdf", f"{name}.pdf")
        for name in ("zoo", "zoo-faq", "zoo-read", "zoo-design", "zoo-quickref")
    ),
    Doc(XTS, _R + "xts/doc/xts.pdf", "xts.pdf"),
    Doc(XTS, _R + "xts/doc/xts-faq.pdf", "xts-faq.pdf"),
    *(
        Doc(SANDWICH, f"{_R}sandwich/doc/{name}.pdf", f"{name}.pdf")
        for name in ("sandwich", "sandwich-CL", "sandwich-OOP")
    ),
    Doc(STRUCCHANGE, _R + "strucchange/doc/strucchange-intro.pdf", "strucchange-intro.pdf"),
    Doc(CAR, _R + "car/doc/embedding.pdf", "car-embedding.pdf"),
    *(
        Doc(MATRIX, f"{_R_BASE}Matrix/doc/{name}.pdf", f"matrix-{name.lower()}.pdf")
        for name in ("Intro2Matrix", "Introduction", "sparseModels")
    ),
    *(
        Doc(SURVIVAL, f"{_R_BASE}survival/doc/{name}.pdf", f"survival-{name}.pdf")
        for name in ("timedep", "splines", "compete", "validate", "concordance", "population")
    ),
    Doc(MULTCOMP, _R + "multcomp/doc/generalsiminf.pdf", "multcomp-generalsiminf.pdf"),
    Doc(MULTCOMP, _R + "multcomp/doc/multcomp-examples.pdf", "multcomp-examples.pdf"),
    Doc(VCD, _R + "vcd/doc/strucplot.pdf", "vcd-strucplot.pdf"),
    Doc(MAINT_GUIDE, "usr/share/doc/maint-guide/maint-guide.en.pdf", "maint-guide.en.pdf"),
    # HTML: a library reference at two versions, a module reference in three languages,
    # manual pages, a guide in two languages, tutorials.
    *(
        Doc(PYGAME_OLD, f"{_PYGAME_REF}{name}.html", f"pygame-2.1.3-{name}.html")
        for name in PYGAME_MODULES
    ),
    *(
        Doc(PYGAME_NEW, f"{_PYGAME_REF}{name}.html", f"pygame-2.6.1-{name}.html")
        for name in PYGAME_MODULES
    ),
    *(
        Doc(PYGAME_NEW, f"pygame/docs/generated/tut/{name}.html", f"pygame-tut-{name}.html")
        for name in ("newbieguide", "ImportInit", "MakeGames")
    ),
    *(
        Doc(APACHE, f"{_APACHE}en/mod/{name}.html", f"apache-{_slug(name)}.en.html")
        for name in APACHE_MODULES
    ),
    *(
        Doc(APACHE, f"{_APACHE}fr/mod/{name}.html", f"apache-{_slug(name)}.fr.html")
        for name in APACHE_FRENCH
    ),
    *(
        Doc(APACHE, f"{_APACHE}de/mod/{name}.html", f"apache-{_slug(name)}.de.html")
        for name in APACHE_GERMAN
    ),
    *(Doc(GIT_DOC, f"{_GIT}{name}.html", f"{name}.html") for name in GIT_HTML_PAGES),
    *(
        Doc(MAINT_GUIDE, f"{_MG}{name}.en.html", f"maint-guide-{name}.en.html")
        for name in MAINT_GUIDE_CHAPTERS
    ),
    *(
        Doc(MAINT_GUIDE_FR, f"{_MG_FR}{name}.fr.html", f"maint-guide-{name}.fr.html")
        for name in MAINT_GUIDE_FRENCH
    ),
    # Markdown: a documentation at two versions, READMEs (one at two major versions).
    *(Doc(ATTRS_OLD, f"docs/{name}.md", f"attrs-23.2-{name}.md") for name in ATTRS_PAGES),
    *(Doc(ATTRS_NEW, f"docs/{name}.md", f"attrs-24.2-{name}.md") for name in ATTRS_PAGES),
    Doc(ATTRS_OLD, "README.md", "attrs-23.2-readme.md"),
    Doc(ATTRS_NEW, "README.md", "attrs-24.2-readme.md"),
    Doc(COMMANDER_OLD, "Readme.md", "commander-9-readme.md"),
    Doc(COMMANDER_NEW, "Readme.md", "commander-12-readme.md"),
    Doc(WS, "README.md", "ws-readme.md"),
    Doc(YARGS, "README.md", "yargs-readme.md"),
    Doc(JINJA, "README.md", "jinja-readme.md"),
    Doc(FLASK_NEW, "README.md", "flask-readme.md"),
    # Plain text: reStructuredText documentation at two versions, git how-tos.
    *(Doc(CLICK_OLD, f"docs/{name}.rst", f"click-7.1-{name}.txt") for name in CLICK_PAGES),
    *(Doc(CLICK_NEW, f"docs/{name}.rst", f"click-8.1-{name}.txt") for name in CLICK_PAGES),
    *(Doc(FLASK_OLD, f"docs/{name}.rst", f"flask-2.0-{_slug(name)}.txt") for name in FLASK_PAGES),
    *(Doc(FLASK_NEW, f"docs/{name}.rst", f"flask-3.0-{_slug(name)}.txt") for name in FLASK_PAGES),
    Doc(CLICK_OLD, "README.rst", "click-7.1-readme.txt"),
    Doc(CLICK_NEW, "README.rst", "click-8.1-readme.txt"),
    Doc(FLASK_OLD, "README.rst", "flask-2.0-readme.txt"),
    Doc(JINJA, "docs/faq.rst", "jinja-faq.txt"),
    Doc(JINJA, "docs/sandbox.rst", "jinja-sandbox.txt"),
    *(
        Doc(GIT_DOC, f"{_HOWTO}{name}.txt", f"git-howto-{name}.txt")
        for name in ("coordinate-embargoed-releases", "use-git-daemon")
    ),
    # CSV: statsmodels' data sets, and data of its tests.
    *(
        Doc(STATSMODELS, f"{_SM}{name}.csv", f"statsmodels-{_slug(name)}.csv")
        for name in STATSMODELS_DATASETS
    ),
    *(
        Doc(STATSMODELS, f"{_SM_RESULTS}{name}.csv", f"statsmodels-{_slug(name)}.csv")
        for name in STATSMODELS_TEST_DATA
    ),
    # DOCX: git manual pages converted to Word; python-docx test documents.
    *(Doc(GIT_DOC, f"{_GIT}{name}.html", f"{name}.docx", convert=True) for name in GIT_WORD_PAGES),
    *(
        Doc(PYTHON_DOCX, f"{_DOCX_FILES}{name}.docx", f"python-docx-{name}.docx")
        for name in (
            "par-known-paragraphs",
            "comments-rich-para",
            "hdr-header-footer",
            "blk-paras-and-tables",
        )
    ),  # fmt: skip
    # PPTX: vignettes converted to slides; python-pptx test decks.
    Doc(LMTEST, _R + "lmtest/doc/lmtest-intro.pdf", "lmtest-intro.pptx", convert=True),
    *(
        Doc(SURVIVAL, f"{_R_BASE}survival/doc/{name}.pdf", f"survival-{name}.pptx", convert=True)
        for name in ("other", "multi", "tiedtimes", "approximate")
    ),
    *(
        Doc(MATRIX, f"{_R_BASE}Matrix/doc/{name}.pdf", f"matrix-{name.lower()}.pptx", convert=True)
        for name in ("Comparisons", "Design-issues")
    ),
    Doc(MVTNORM, _R + "mvtnorm/doc/MVT_Rnews.pdf", "mvtnorm-rnews.pptx", convert=True),
    Doc(MULTCOMP, _R + "multcomp/doc/chfls1.pdf", "multcomp-chfls1.pptx", convert=True),
    Doc(VCD, _R + "vcd/doc/residual-shadings.pdf", "vcd-residual-shadings.pptx", convert=True),
    *(
        Doc(PYTHON_PPTX, f"{_DOCX_FILES}{name}.pptx", f"python-pptx-{name}.pptx")
        for name in (
            "dml-fill",
            "font-color",
            "txt-font-typeface",
            "txt-text-frame",
            "shp-pos-and-size",
            "ph-inherit-props",
            "tbl-cell",
        )
    ),  # fmt: skip
    # EML: mailing-list mails kept by git, test mails of mail libraries.
    *(Doc(GIT_DOC, f"{_HOWTO}{name}.txt", f"git-{name}.eml") for name in GIT_HOWTO_MAILS),
    *(
        Doc(MAIL_PARSER, f"{_MAILS}{name}", f"mail-parser-{_slug(name)}.eml")
        for name in (
            "mail_test_2",
            "mail_test_4",
            "mail_test_7",
            "mail_test_10",
            "mail_test_15",
            "mail_test_16",
            "mail_test_18",
            "mail_test_19",
            "mail_malformed_2",
        )
    ),  # fmt: skip
    *(
        Doc(HYPERKITTY, f"{_HK}{name}.txt", f"hyperkitty-{name}.eml")
        for name in ("attachment-1", "unknown-charset")
    ),
    *(
        Doc(PY_TESTS, f"{_PY_MAIL}{name}.txt", f"cpython-{_slug(name)}.eml")
        for name in ("msg_02", "msg_14", "msg_16", "msg_43")
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="corpus folder")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="download cache")
    args = parser.parse_args(argv)
    print(json.dumps(build(list(DOCS), args.dest, args.cache)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
