"""Every patched library is the version the compat modules were checked against, the list in
ragline.compat's docstring agrees with CHECKED_AGAINST and names every patch and its test, and
importing ragline patches nothing. After an upgrade: fix the patch, then bump CHECKED_AGAINST."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ragline import compat
from tests.ragline.compat.inspection import assert_checked


@pytest.mark.parametrize("library", sorted(compat.CHECKED_AGAINST))
def test_every_patched_library_is_the_version_checked(library: str) -> None:
    assert_checked(library)


LISTED = re.compile(r"- :(?:func|class):`(\w+)` \((\w+) ([\d.]+)\): [^;]+;\s+(test_\w+\.py)")


def test_the_list_of_patches_names_each_one_its_version_and_an_existing_test() -> None:
    listed = LISTED.findall(compat.__doc__ or "")
    patches = {name for name in compat.__all__ if callable(getattr(compat, name))}
    assert {name for name, *_ in listed} == patches
    for name, library, checked, test in listed:
        assert compat.CHECKED_AGAINST[library] == checked, name
        assert (Path(__file__).parent / test).is_file(), test


def test_importing_ragline_changes_no_environment_and_loads_no_framework() -> None:
    code = (
        "import json, os, sys; before = dict(os.environ); "
        "import ragline.compat, ragline.embedding, ragline.parsing, ragline.pipeline, "
        "ragline.sandbox, ragline.vectorstore, ragline.warmup; "
        "frameworks = {'prefect', 'fastapi', 'slowapi', 'starlette', 'unstructured', 'chromadb'}; "
        "print(json.dumps([dict(os.environ) == before, sorted(frameworks & set(sys.modules))]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in compat.LIBRARY_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [True, []]
