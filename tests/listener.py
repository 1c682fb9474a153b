"""A TCP port that counts the connections made to it: proof that a server made no request."""

from __future__ import annotations

import socket
import threading

__all__ = ["Listener"]


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it (and closes each at once,
    so a request sent to it fails fast instead of waiting for an answer)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # shut down by close()
                return
            self.accepted += 1  # counted before the client can see the connection close
            conn.close()

    def close(self) -> int:
        """Stop listening; the number of connections made."""
        self.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join()
        self.sock.close()
        return self.accepted
