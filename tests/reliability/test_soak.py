"""Short form of the fault-injection soak (the full one: ``python bench/soak.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.reliability.soak import SoakConfig, format_table, run_soak

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]


def test_soak_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = SoakConfig(
        items=30, kills=10, seed=3, concurrency=3, kill_after=(0.1, 0.8), workdir=tmp_path / "soak"
    )
    report = run_soak(config)
    print(format_table(report))

    assert report.kills >= 10
    assert report.problems() == []
    assert report.items >= config.items
    assert report.statuses["success"] + report.statuses["error"] == report.items
    # the faults really happened: the soak proves nothing when the proxies are idle
    injected = sum(sum(counts.values()) for counts in report.faults.values())
    assert injected >= 5
    assert report.interrupted >= 1
    output = capsys.readouterr().out
    assert "SIGKILLs" in output
