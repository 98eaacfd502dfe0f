"""A local SMTP sink: every message received is stored in a Maildir, nothing is relayed.

``python -m scripts.mailsink --host 127.0.0.1 --port 8025 --maildir .data/mail``; ``make run``
starts it so job notifications can be read without a real mail server (``mutt -f DIR``, or
Python's ``mailbox.Maildir``).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP


async def serve(host: str, port: int, maildir: Path) -> None:
    """Accept mail until SIGINT or SIGTERM."""
    handler = Mailbox(maildir)
    loop = asyncio.get_running_loop()
    # hostname is given so aiosmtpd does not look up the machine's FQDN (slow without DNS).
    server = await loop.create_server(lambda: SMTP(handler, hostname="localhost"), host, port)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"mail sink on {host}:{port}, storing into {maildir}", flush=True)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args(argv)
    # Not the Maildir itself: Maildir(create=True) only adds tmp/new/cur to a folder it creates.
    args.maildir.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.host, args.port, args.maildir))


if __name__ == "__main__":
    main()
