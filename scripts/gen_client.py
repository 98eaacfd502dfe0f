"""Regenerates the typed client ``ragline_client/`` from the API: ``python -m scripts.gen_client``.

Run it whenever the API changes (tests/ragline_client/test_generated.py fails until you do).
It writes the OpenAPI document the app serves, runs openapi-python-client on it (sync and async
functions per operation, attrs models), formats the result with the project's ruff, and keeps
the document beside the code as ``ragline_client/openapi.json``: that file is what the test
compares, and its ``info.version`` is the API version the client speaks. Never edit the
generated tree by hand; the hand-written layer is ``ragline/integrations/client.py``.

The generator runs in a virtualenv of its own (``.cache/tools/``, made on first use, from
PyPI): openapi-python-client 0.29.1 requires typer<0.28, and the project's lock holds typer
0.29.2, so the two cannot share ``.venv``. Nothing of it is needed at run time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from typing import Any

from ragline.settings import PROJECT_ROOT

GENERATOR = "openapi-python-client==0.29.1"
PACKAGE = "ragline_client"
OUTPUT = PROJECT_ROOT / PACKAGE
SPEC = OUTPUT / "openapi.json"
TOOLS = PROJECT_ROOT / ".cache" / "tools" / GENERATOR.replace("==", "-")


def openapi_document() -> dict[str, Any]:
    """The document the app serves, built without a server (and without a .env's settings)."""
    from api.app import create_app
    from ragline.settings import Settings

    document: dict[str, Any] = create_app(Settings(_env_file=None)).openapi()
    return document


def spec_text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def generator() -> Path:
    """The generator's executable, installed into its own virtualenv the first time."""
    executable = TOOLS / "bin" / "openapi-python-client"
    if not executable.exists():
        print(f"installing {GENERATOR} into {TOOLS}")
        venv.create(TOOLS, with_pip=True)
        subprocess.run([TOOLS / "bin" / "pip", "install", "-q", GENERATOR], check=True)
    return executable


def generate(document: dict[str, Any]) -> None:
    config = {
        "project_name_override": "ragline-client",
        "package_name_override": PACKAGE,
        "literal_enums": True,  # "completed", not JobState.COMPLETED: reads like the API
        "post_hooks": [],  # formatted below, in place, by the project's ruff and its settings
    }
    with tempfile.TemporaryDirectory(prefix="gen-client-") as scratch:
        spec, config_file, out = (Path(scratch) / n for n in ("openapi.json", "c.json", PACKAGE))
        spec.write_text(spec_text(document))
        config_file.write_text(json.dumps(config))
        # Into a scratch folder first: a failed run leaves the committed client as it was.
        command: list[str | Path] = [generator(), "generate", "--meta", "none"]
        command += ["--path", spec, "--config", config_file, "--output-path", out]
        subprocess.run([*command, "--fail-on-warning"], check=True)
        shutil.rmtree(OUTPUT, ignore_errors=True)
        shutil.copytree(out, OUTPUT)
    SPEC.write_text(spec_text(document))
    ruff: list[str | Path] = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--fix-only", "--quiet", OUTPUT], check=True, cwd=PROJECT_ROOT)
    subprocess.run([*ruff, "format", "--quiet", OUTPUT], check=True, cwd=PROJECT_ROOT)


def main() -> None:
    generate(openapi_document())
    print(f"{OUTPUT.relative_to(PROJECT_ROOT)}/ regenerated from the API's OpenAPI document")


if __name__ == "__main__":
    main()
