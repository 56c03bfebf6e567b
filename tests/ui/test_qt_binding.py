"""The Qt binding itself: PySide6 6.12.0 on Python 3.11 drops a reference to ``True`` on every
``Signal.emit()`` from Python, and the app dies with "bool_dealloc" after about a thousand
signals (qasync emits one per executor job). pyproject excludes that release; this guards it."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(str)


def test_emitting_signals_keeps_bool_reference_counts(qapp: Any) -> None:
    emitter = _Emitter()
    received: list[str] = []
    emitter.ping.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.ping.emit("x")
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(received) == 200
    assert after == before, "this PySide6 release leaks bool references on emit()"
