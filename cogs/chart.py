"""A small PNG bar chart of an account's usual hours, drawn with zlib alone (no imaging library needed)."""

from __future__ import annotations

import struct
import zlib

BAR, GAP, HEIGHT, MARGIN = 10, 2, 60, 4
BACKGROUND = (47, 49, 54)  # Discord's dark theme, so the chart sits in the embed without a frame
BARS = (88, 101, 242)
QUIET = (79, 84, 92)  # hours with no activity still get a baseline tick


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def hours_png(hours: list[int]) -> bytes:
    """24 bars (00-23 UTC), each as tall as that hour's share of the busiest hour."""
    if len(hours) != 24:
        raise ValueError(f"need 24 hourly counts, got {len(hours)}")
    width = MARGIN * 2 + 24 * (BAR + GAP) - GAP
    height = HEIGHT + MARGIN * 2
    top = max(hours) or 1
    heights = [max(1, round(h / top * HEIGHT)) for h in hours]
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type 0 for every scanline
        level = height - MARGIN - y  # pixels above the baseline
        for x in range(width):
            colour = BACKGROUND
            i, offset = divmod(x - MARGIN, BAR + GAP)
            if 0 <= x - MARGIN and i < 24 and offset < BAR and 0 < level <= heights[i]:
                colour = BARS if hours[i] else QUIET
            row += bytes(colour)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + _chunk(b"IEND", b""))
