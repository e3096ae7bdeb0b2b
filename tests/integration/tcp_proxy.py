"""A TCP forwarder the fault tests cut and restore, to make a database or Redis go away."""

from __future__ import annotations

import asyncio
import threading


class TcpProxy:
    """A TCP forwarder on 127.0.0.1:<port> to a target, in its own thread and event loop.

    `cut()` closes every forwarded connection and refuses new ones (accepted, then closed
    at once), as when a database or Redis host goes away; `restore()` forwards again."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = 0  # chosen by the system when the listener binds; set before __init__ returns
        self.forwarding = True
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="tcp-proxy")
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("the TCP proxy did not start")

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._started.set()
        self._loop.run_forever()

    async def _accept(self, reader, writer):
        if not self.forwarding:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(source, sink):
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                sink.close()
                self._writers.discard(sink)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def _call(self, function):
        done = threading.Event()

        def run():
            function()
            done.set()

        self._loop.call_soon_threadsafe(run)
        done.wait(10)

    def cut(self):
        def close_all():
            self.forwarding = False
            for writer in list(self._writers):
                transport = writer.transport
                transport.abort()  # a reset, not a polite close: the peer is gone
            self._writers.clear()

        self._call(close_all)

    def restore(self):
        def reopen():
            self.forwarding = True

        self._call(reopen)

    def close(self):
        self.cut()

        def stop():
            self._server.close()
            self._loop.stop()

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(10)
