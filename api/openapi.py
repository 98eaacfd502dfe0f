"""Prints the OpenAPI document without starting a server: ``python -m api.openapi``.

The frontend generates its API client from this output (``npm run gen:api``).
"""

import json
import sys

from api.app import create_app
from ragline.settings import Settings


def main() -> None:
    app = create_app(Settings())
    json.dump(app.openapi(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
