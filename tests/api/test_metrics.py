"""/metrics with several API processes: each process writes its values, any one adds them up."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def run(code: str, metrics_dir: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_any_process_reports_every_live_processs_counts_and_sockets(tmp_path: Path) -> None:
    serving = """
        from api import metrics
        metrics.UPLOADED_BYTES.inc(100)
        metrics.WS_CONNECTIONS.inc(2)
        """
    run(serving, tmp_path)
    run(serving + "metrics.forget_this_process()\n", tmp_path)  # this one stopped

    body = run("from api import metrics\nprint(metrics.exposition()[0].decode())", tmp_path)

    assert "ragline_uploaded_bytes_total 200.0" in body  # counts survive their process
    assert "ragline_websocket_connections 2.0" in body  # open sockets: live processes only
