"""The committed Python client speaks the API the app serves (python -m scripts.gen_client)."""

import json
import re

from ragline.settings import PROJECT_ROOT
from scripts import gen_client

STALE = "ragline_client/ is stale: run python -m scripts.gen_client"


def test_the_client_was_generated_from_the_api_the_app_serves() -> None:
    committed = json.loads(gen_client.SPEC.read_text())
    assert committed == gen_client.openapi_document(), STALE


def test_every_operation_of_that_document_has_its_generated_module() -> None:
    """Guards against an openapi.json updated by hand without regenerating the code."""
    document = json.loads(gen_client.SPEC.read_text())
    expected = {
        f"{operation['tags'][0]}/{re.sub(r'[^a-z0-9]+', '_', operation['operationId'].lower())}"
        for path in document["paths"].values()
        for operation in path.values()
    }
    api = PROJECT_ROOT / "ragline_client" / "api"
    generated = {
        f"{module.parent.name}/{module.stem}"
        for module in api.glob("*/*.py")
        if module.name != "__init__.py"
    }
    assert generated == expected, STALE
