"""``python -m ragline.cli``: the ``ragline`` console script without installing it."""

from ragline.cli.main import main

main()
