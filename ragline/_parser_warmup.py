"""The parse sandbox's fork server imports this as its preload module: importing it runs
:func:`ragline.warmup.parse_server`, so every parse forks from a warm process. Nothing else
may import it."""

from ragline import warmup

warmup.parse_server()
