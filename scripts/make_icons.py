#!/usr/bin/env python3
"""Draw the site's icons: babelpress/site/static/babelpress/icons/ (committed; run this after a change).

The icon is a stepped tower (Babel's ziggurat) in the paper colour on the accent colour of
babelpress/site/static/babelpress/site.css, drawn on a 16-unit grid so that the 16-pixel favicon
stays sharp. One list of shapes makes every file, so the SVG and the bitmaps cannot disagree:

- favicon.svg            the icon as browsers that read SVG icons show it (rounded square);
- favicon.ico            16, 32 and 48 pixels (PNG images in an ICO file), for /favicon.ico;
- icon-192.png, icon-512.png   the web manifest's icons;
- icon-maskable-512.png  full-bleed, the tower inside the safe circle, for launchers that cut their own shape;
- apple-touch-icon.png   180 pixels, full-bleed (iOS rounds the corners itself).

Pure Python (struct and zlib): no imaging library to install. Usage: python3 scripts/make_icons.py
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "babelpress" / "site" / "static" / "babelpress" / "icons"
ACCENT = (0x8A, 0x1C, 0x1C)  # --accent in site.css
PAPER = (0xFD, 0xFC, 0xF8)  # --paper in site.css
GRID = 16
CORNER = 3  # the rounded square's radius, in grid units
# The tower: three tiers (x, y, width, height) in grid units, and its door in the accent colour.
TIERS = ((6, 4, 4, 3), (4, 7, 8, 3), (2, 10, 12, 3))
DOOR = (7, 11, 2, 2)


def svg() -> str:
    rects = "".join(f'<rect x="{x}" y="{y}" width="{w}" height="{h}"/>' for x, y, w, h in TIERS)
    x, y, w, h = DOOR
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{CORNER}" fill="#{bytes(ACCENT).hex()}"/>'
        f'<g fill="#{bytes(PAPER).hex()}">{rects}</g>'
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#{bytes(ACCENT).hex()}"/></svg>\n'
    )


def _inside_rounded(u: float, v: float, radius: float) -> bool:
    """Whether grid point (u, v) lies in the GRID-sized square with corners of ``radius``."""
    if not (0 <= u < GRID and 0 <= v < GRID):
        return False
    cx = min(max(u, radius), GRID - radius)
    cy = min(max(v, radius), GRID - radius)
    return (u - cx) ** 2 + (v - cy) ** 2 <= radius**2


def _colour_at(u: float, v: float, radius: float, scale: float) -> tuple[int, int, int, int] | None:
    if not _inside_rounded(u, v, radius):
        return None
    # The tower is drawn scaled by ``scale`` about the centre (the maskable icon keeps it in the safe circle).
    gu, gv = GRID / 2 + (u - GRID / 2) / scale, GRID / 2 + (v - GRID / 2) / scale
    x, y, w, h = DOOR
    if x <= gu < x + w and y <= gv < y + h:
        return (*ACCENT, 255)
    if any(x <= gu < x + w and y <= gv < y + h for x, y, w, h in TIERS):
        return (*PAPER, 255)
    return (*ACCENT, 255)


def raster(size: int, radius: float = CORNER, scale: float = 1.0, samples: int = 4) -> bytes:
    """RGBA rows of the icon at ``size`` pixels, each pixel the average of samples × samples points."""
    rows = bytearray()
    step = GRID / size / samples
    for py in range(size):
        rows.append(0)  # PNG filter type 0 for this row
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    u = (px * samples + sx + 0.5) * step
                    v = (py * samples + sy + 0.5) * step
                    colour = _colour_at(u, v, radius, scale)
                    if colour:
                        for i in range(3):
                            total[i] += colour[i] * colour[3]
                        total[3] += colour[3]
            alpha = total[3]
            n = samples * samples
            rows += bytes([round(total[i] / alpha) if alpha else 0 for i in range(3)] + [round(alpha / n)])
    return bytes(rows)


def png(size: int, **options) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raster(size, **options), 9)) + chunk(b"IEND", b""))


def ico(sizes=(16, 32, 48)) -> bytes:
    """An ICO file holding one PNG image per size (read by every browser since 2007)."""
    images = [png(size, samples=8) for size in sizes]
    offset = 6 + 16 * len(images)
    directory = b""
    for size, image in zip(sizes, images):
        directory += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(images)


def files() -> dict[str, bytes]:
    return {
        "favicon.svg": svg().encode(),
        "favicon.ico": ico(),
        "icon-192.png": png(192),
        "icon-512.png": png(512, samples=2),
        "icon-maskable-512.png": png(512, radius=0, scale=0.7, samples=2),
        "apple-touch-icon.png": png(180, radius=0, scale=0.8),
    }


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, data in files().items():
        (FOLDER / name).write_bytes(data)
        print(f"{FOLDER / name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
