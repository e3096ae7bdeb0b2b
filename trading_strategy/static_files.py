"""Static files from WhiteNoise, streamed the way an ASGI server streams.

WhiteNoise answers with a file response whose chunks come from a synchronous iterator.
Django's ASGI handler cannot iterate that on the event loop: it reads the whole file into
memory on a thread first, and warns "StreamingHttpResponse must consume synchronous
iterators". Under ASGI each chunk is read on a thread instead, through an asynchronous
iterator, so a file is sent as it is read and nothing warns.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from whitenoise.middleware import WhiteNoiseMiddleware


def _next_chunk(chunks: Iterator[bytes]) -> bytes | None:
    return next(chunks, None)


async def _read_on_a_thread(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    read = sync_to_async(_next_chunk, thread_sensitive=False)
    while (chunk := await read(chunks)) is not None:
        yield chunk


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    @staticmethod
    def serve(static_file, request):
        response = WhiteNoiseMiddleware.serve(static_file, request)
        if isinstance(request, ASGIRequest):
            response.streaming_content = _read_on_a_thread(iter(response.streaming_content))
        return response
