"""The single-instance protocol in one process: a newcomer's links arrive; junk does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtNetwork import QLocalSocket

from instarecipe_desktop.ui.single_instance import (
    InstanceServer,
    forward_to_running,
    server_name,
)


def test_forwarding_needs_a_running_server(qapp: Any, tmp_path: Path) -> None:
    assert not forward_to_running(server_name(tmp_path / "nobody"), ["x"], timeout_ms=300)


def test_names_differ_per_data_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")


def test_server_receives_links_and_ignores_junk(qtbot: Any, tmp_path: Path) -> None:
    name = server_name(tmp_path)
    server = InstanceServer(name)
    assert server.listen()
    received: list[list[str]] = []
    server.linksReceived.connect(received.append)
    try:
        junk = QLocalSocket()
        junk.connectToServer(name)
        assert junk.waitForConnected(2000)
        junk.write(b"this is not json\n")
        junk.flush()
        qtbot.waitUntil(lambda: junk.canReadLine() or junk.waitForReadyRead(10))
        assert bytes(junk.readLine().data()).strip() == b"bad"
        junk.abort()
        link = "https://www.instagram.com/p/FORWARD1/"
        socket = QLocalSocket()
        socket.connectToServer(name)
        assert socket.waitForConnected(2000)
        socket.write(b'{"links": ["' + link.encode() + b'"]}\n')
        socket.flush()
        qtbot.waitUntil(lambda: received == [[link]])
        socket.abort()
        qtbot.waitUntil(lambda: not server._buffers)  # both connections closed on its side
    finally:
        server.close()
