"""Reading a response body within a size limit, counted after decompression.

httpx would inflate a whole compressed chunk at once: 1 MB of gzip that
expands to 1 GB takes 1 GB of memory before anyone can count it. Here the
Content-Encoding is undone piece by piece with zlib's `max_length`, so
reading stops as soon as the decoded body passes the limit.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterable

import httpx

from .failures import BodyTooLarge

# What we ask for (Accept-Encoding) and can decode within bounds.
ENCODINGS = ("gzip", "deflate")
# Decoded bytes produced per step: small enough that the limit is checked often.
STEP_BYTES = 1 << 20


class _Inflater:
    """gzip or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, encoding: str):
        self.gzip = encoding in ("gzip", "x-gzip")
        self.zlib = zlib.decompressobj(zlib.MAX_WBITS | 16 if self.gzip else zlib.MAX_WBITS)
        self.first = True

    def feed(self, data: bytes, room: int) -> bytes:
        """Up to `room` + 1 decoded bytes of `data` (with what earlier calls left)."""
        try:
            return self._feed(data, room)
        except zlib.error:
            if self.gzip or not self.first:
                raise
            # "deflate" without its zlib header: start again as raw deflate.
            self.zlib, self.first = zlib.decompressobj(-zlib.MAX_WBITS), False
            return self._feed(data, room)

    def _feed(self, data: bytes, room: int) -> bytes:
        out = self.zlib.decompress(data, room + 1)
        self.first = False
        return out

    def more(self, room: int) -> bytes:
        tail = self.zlib.unconsumed_tail
        return self.zlib.decompress(tail, room + 1) if tail else b""

    def rest(self, room: int) -> bytes:
        return self.zlib.flush(room + 1)


async def read_bounded(
    stream: AsyncIterable[bytes], encoding: str, limit: int, request: httpx.Request
) -> bytes:
    """The body, decoded; BodyTooLarge past `limit` decoded bytes. `encoding`
    is the Content-Encoding ("" or "identity" for none)."""
    layers = [part.strip().lower() for part in encoding.split(",") if part.strip()]
    layers = [layer for layer in layers if layer != "identity"]
    unknown = [layer for layer in layers if layer not in (*ENCODINGS, "x-gzip")]
    if unknown:
        raise httpx.DecodingError(f"unsupported Content-Encoding {unknown[0]!r}", request=request)
    if len(layers) > 1:
        # Nested encodings are rare: decode the outer one, then each inner one, each bounded.
        body = await read_bounded(stream, layers[-1], limit, request)
        for layer in reversed(layers[:-1]):
            body = await read_bounded(_once(body), layer, limit, request)
        return body
    inflater = _Inflater(layers[0]) if layers else None
    chunks: list[bytes] = []
    size = 0

    def keep(piece: bytes) -> None:
        nonlocal size
        size += len(piece)
        if size > limit:
            what = "once decompressed" if inflater else ""
            raise BodyTooLarge(f"the body is over {limit:,} bytes {what}".strip(), request=request)
        chunks.append(piece)

    try:
        async for raw in stream:
            if inflater is None:
                keep(raw)
                continue
            piece = inflater.feed(raw, min(STEP_BYTES, limit - size))
            while piece:
                keep(piece)
                piece = inflater.more(min(STEP_BYTES, limit - size))
        if inflater is not None:
            keep(inflater.rest(limit - size))
    except zlib.error as exc:
        raise httpx.DecodingError(f"the body is not valid {layers[0]}: {exc}", request=request) from exc
    return b"".join(chunks)


async def _once(data: bytes) -> AsyncIterable[bytes]:
    yield data
