"""One running app per data folder: a second start hands its links over and exits.

Protocol over ``QLocalSocket``: the newcomer sends one JSON line ``{"links": [...]}`` and waits for
``ok``; the running app queues the links and comes to the front.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

MAX_MESSAGE = 1_000_000


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:12]
    user = "".join(ch for ch in getpass.getuser() if ch.isalnum()) or "user"
    return f"instarecipe-desktop-{user}-{digest}"


def forward_to_running(name: str, links: list[str], timeout_ms: int = 2000) -> bool:
    """True when a running app took the links (and was asked to come to the front).

    Blocking, with a short timeout: called once at start, before the window exists.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write((json.dumps({"links": links}) + "\n").encode("utf-8"))
    socket.flush()
    accepted = False
    if socket.waitForBytesWritten(timeout_ms) or socket.bytesToWrite() == 0:
        while not socket.canReadLine() and socket.waitForReadyRead(timeout_ms):
            pass
        accepted = bytes(socket.readLine().data()).strip() == b"ok"
    socket.disconnectFromServer()
    return accepted


class InstanceServer(QObject):
    """Listens for newcomers; ``linksReceived`` (possibly empty: just come to the front)."""

    linksReceived = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket file left by a crashed app is removed first."""
        if self._server.listen(self._name):
            return True
        QLocalServer.removeServer(self._name)
        ok = self._server.listen(self._name)
        if not ok:
            log.warning("Single-instance server could not listen: %s", self._server.errorString())
        return ok

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE:
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            message = json.loads(line.decode("utf-8"))
            links = [str(link) for link in message.get("links", [])]
        except (ValueError, AttributeError):
            socket.write(b"bad\n")
            return
        socket.write(b"ok\n")
        socket.flush()
        self.linksReceived.emit(links)
