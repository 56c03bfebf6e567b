"""The threaded HTTP server under every fake (Tandoor, LLM, Instagram, fault proxy, hostile
servers): daemon threads, a deep backlog for soak runs, and no traceback printed for the
errors a fake provokes on purpose (clients that time out, hang up or are reset)."""

from __future__ import annotations

import sys
from http.server import ThreadingHTTPServer
from typing import Any, ClassVar


class LoopbackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a soak opens many connections at once (the default is 5)
    # errors that are part of the job; anything else is a bug in the fake and is printed
    expected_errors: ClassVar[tuple[type[BaseException], ...]] = (OSError,)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], self.expected_errors):
            super().handle_error(request, client_address)
