"""The usual-hours chart is a valid PNG whose bars follow the counts."""

import struct
import zlib

import pytest

from cogs.chart import BARS, BAR, GAP, HEIGHT, MARGIN, hours_png


def decode(png: bytes):
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pos, chunks = 8, dict[bytes, bytes]()
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        chunks[kind] = chunks.get(kind, b"") + data
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + width * 3
    rows = [raw[y * stride + 1:(y + 1) * stride] for y in range(height)]
    return width, height, rows


def bar_height(rows, height, hour) -> int:
    x = MARGIN + hour * (BAR + GAP)
    return sum(1 for row in rows if tuple(row[x * 3:x * 3 + 3]) == BARS)


def test_bars_follow_the_hourly_counts():
    hours = [0] * 24
    hours[9], hours[15] = 40, 10
    width, height, rows = decode(hours_png(hours))
    assert width == MARGIN * 2 + 24 * (BAR + GAP) - GAP and height == HEIGHT + 2 * MARGIN
    assert bar_height(rows, height, 9) == HEIGHT
    assert bar_height(rows, height, 15) == HEIGHT // 4
    assert bar_height(rows, height, 3) == 0


def test_wrong_number_of_hours_is_refused():
    with pytest.raises(ValueError, match="24 hourly counts"):
        hours_png([1, 2, 3])
