"""SVG output: numbered panels side by side or stacked, outlined capsules, arrows, badges."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from .scene import INK, Point2, Shape

WIDTH, MAX_HEIGHT = 480.0, 320.0  # viewBox (3:2 at most); printed about 115 mm wide
GAP, PAD = 8.0, 10.0
LINE, THIN, ARROW = 1.8, 1.2, 4.2  # stroke widths
HEAD_LEN, HEAD_HALF = 16.0, 10.0
BADGE = 11.0  # badge radius
FRAME, PROP_INK, HALO = "#b5b5b5", "#8c8c8c", "#fff"

# Panel digits as strokes in a 10 x 14 box: no fonts involved.
DIGITS = {
    1: (("M", 3.2, 3.8), ("L", 6.2, 1.2), ("L", 6.2, 12.8)),
    2: (("M", 2.0, 4.2), ("C", 2.0, 0.4, 8.4, 0.4, 8.4, 4.2), ("C", 8.4, 6.8, 4.0, 9.0, 2.0, 12.8),
        ("L", 8.8, 12.8)),
    3: (("M", 2.0, 2.6), ("C", 4.0, 0.2, 8.6, 1.0, 8.3, 3.9), ("C", 8.1, 6.2, 5.8, 6.6, 4.4, 6.6),
        ("C", 6.9, 6.6, 8.9, 7.9, 8.7, 10.2), ("C", 8.4, 13.6, 3.5, 13.6, 1.7, 11.3)),
}


def n(v: float) -> str:
    """A number with at most one decimal."""
    text = f"{v:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _xy(p: Point2) -> str:
    return f"{n(p[0])} {n(p[1])}"


def render(panels: list[list[Shape]], *, title: str, desc: str, rtl: bool) -> str:
    """The SVG document: every panel at the same scale and window, numbered in reading order."""
    x0, y0, x1, y1 = _bounds([s for panel in panels for s in panel])
    w, h, count = x1 - x0, y1 - y0, len(panels)

    def fit(cols: int, rows: int) -> float:
        cell_w = (WIDTH - (cols - 1) * GAP) / cols
        cell_h = (MAX_HEIGHT - (rows - 1) * GAP) / rows
        return min((cell_w - 2 * PAD) / w, (cell_h - 2 * PAD) / h)

    cols, rows = max(((count, 1), (1, count)), key=lambda cr: fit(*cr))
    scale = fit(cols, rows)
    cell_w, cell_h = (WIDTH - (cols - 1) * GAP) / cols, h * scale + 2 * PAD
    height = rows * cell_h + (rows - 1) * GAP
    cells = []
    for i in range(count):
        col, row = (i, 0) if rows == 1 else (0, i)
        if rtl:
            col = cols - 1 - col
        cx, cy = col * (cell_w + GAP), row * (cell_h + GAP)
        ox = cx + (cell_w - w * scale) / 2 - x0 * scale
        cells.append((cx, cy, ox, cy + PAD - y0 * scale))
    moved = [[_moved(s, scale, ox, oy) for s in panel] for panel, (_, _, ox, oy) in
             zip(panels, cells, strict=True)]
    corner = _corner(moved, cells, cell_w, cell_h, rtl)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n(WIDTH)} {n(height)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        '<g stroke-linecap="round" stroke-linejoin="round">',
    ]
    for number, (shapes, (cx, cy, _, _)) in enumerate(zip(moved, cells, strict=True), 1):
        out.append(f'<rect x="{n(cx + 0.5)}" y="{n(cy + 0.5)}" width="{n(cell_w - 1)}" '
                   f'height="{n(cell_h - 1)}" rx="6" fill="#fff" stroke="{FRAME}"/>')
        out += _shapes(shapes)
        out += _badge(number, cx, cy, cell_w, cell_h, corner)
    out += ["</g>", "</svg>"]
    return "\n".join(out) + "\n"


def _bounds(shapes: list[Shape]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for s in shapes:
        radii = s.radii or (4.0 if s.kind == "arrow" else 0.0,) * len(s.pts)
        for (x, y), r in zip(s.pts, radii, strict=True):
            xs += [x - r, x + r]
            ys += [y - r, y + r]
    return min(xs), min(ys), max(xs), max(ys)


def _moved(s: Shape, scale: float, ox: float, oy: float) -> Shape:
    pts = tuple((x * scale + ox, y * scale + oy) for x, y in s.pts)
    return Shape(s.kind, pts, tuple(r * scale for r in s.radii), s.fill, s.depth, s.union,
                 s.dashed, s.heads, s.thin)


def _corner(panels: list[list[Shape]], cells, cell_w: float, cell_h: float, rtl: bool) -> str:
    """The top corner (else bottom) that no panel's drawing reaches into."""
    order = ["tr", "tl", "br", "bl"] if rtl else ["tl", "tr", "bl", "br"]

    def clashes(corner: str) -> int:
        count = 0
        for shapes, (cx, cy, _, _) in zip(panels, cells, strict=True):
            bx, by = _badge_centre(corner, cx, cy, cell_w, cell_h)
            reach = BADGE + 3
            for s in shapes:
                radii = s.radii or (1.0,) * len(s.pts)
                count += any(abs(x - bx) < reach + r and abs(y - by) < reach + r
                             for (x, y), r in zip(s.pts, radii, strict=True))
        return count

    return min(order, key=lambda c: (clashes(c), order.index(c)))


def _badge_centre(corner: str, cx: float, cy: float, cell_w: float, cell_h: float) -> Point2:
    inset = BADGE + 4
    x = cx + inset if corner[1] == "l" else cx + cell_w - inset
    y = cy + inset if corner[0] == "t" else cy + cell_h - inset
    return x, y


def _badge(number: int, cx: float, cy: float, cell_w: float, cell_h: float,
           corner: str) -> list[str]:
    """A dark disc with the panel number drawn as strokes."""
    bx, by = _badge_centre(corner, cx, cy, cell_w, cell_h)
    k, dx, dy = 1.05, bx - 5.25 * 1.05, by - 7.0 * 1.05
    d = "".join(cmd + " ".join(n(v * k + (dx if i % 2 == 0 else dy)) for i, v in
                               enumerate(args)) for cmd, *args in DIGITS[number])
    return [f'<circle cx="{n(bx)}" cy="{n(by)}" r="{n(BADGE)}" fill="{INK}" stroke="{HALO}" '
            f'stroke-width="1.5"/>',
            f'<path d="{d}" fill="none" stroke="{HALO}" stroke-width="2.4"/>']


def _shapes(shapes: list[Shape]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(shapes):
        s = shapes[i]
        if s.union:
            group = [t for t in shapes[i:] if t.union == s.union]
            i += len(group)
            out += [f'<path d="{_capsule(t)}" fill="{t.fill}" stroke="{INK}" '
                    f'stroke-width="{n(2 * LINE)}"/>' for t in group]
            out += [f'<path d="{_capsule(t)}" fill="{t.fill}"/>' for t in group]
            continue
        i += 1
        if s.kind == "capsule":
            out.append(f'<path d="{_capsule(s)}" fill="{s.fill}" stroke="{INK}" '
                       f'stroke-width="{n(LINE)}"/>')
        elif s.kind == "polygon":
            out.append(f'<path d="M{"L".join(_xy(p) for p in s.pts)}Z" fill="{s.fill}" '
                       f'stroke="{PROP_INK}" stroke-width="{n(THIN)}"/>')
        elif s.kind == "line":
            style = (f'stroke="{PROP_INK}" stroke-width="1.5"' if s.thin else
                     f'stroke="{INK}" stroke-width="2" stroke-dasharray="5 4"' if s.dashed else
                     'stroke="#555" stroke-width="3"')
            out.append(f'<path d="M{"L".join(_xy(p) for p in s.pts)}" fill="none" {style}/>')
        else:
            out += _arrow(s)
    return out


def _capsule(s: Shape) -> str:
    """Outline of a tapered capsule: two circles joined by their outer tangents."""
    (x1, y1), (x2, y2) = s.pts
    r1, r2 = s.radii
    d = math.hypot(x2 - x1, y2 - y1)
    if d + min(r1, r2) <= max(r1, r2) + 1e-6:
        (x, y), r = ((x1, y1), r1) if r1 >= r2 else ((x2, y2), r2)
        return f"M{n(x - r)} {n(y)}a{n(r)} {n(r)} 0 1 0 {n(2 * r)} 0a{n(r)} {n(r)} 0 1 0 " \
               f"{n(-2 * r)} 0Z"
    ux, uy = (x2 - x1) / d, (y2 - y1) / d
    nx, ny = -uy, ux
    cb = (r1 - r2) / d
    sb = math.sqrt(max(0.0, 1 - cb * cb))
    m1, m2 = (cb * ux + sb * nx, cb * uy + sb * ny), (cb * ux - sb * nx, cb * uy - sb * ny)
    p1, q1 = (x1 + r1 * m1[0], y1 + r1 * m1[1]), (x2 + r2 * m1[0], y2 + r2 * m1[1])
    q2, p2 = (x2 + r2 * m2[0], y2 + r2 * m2[1]), (x1 + r1 * m2[0], y1 + r1 * m2[1])
    big2, big1 = int(cb < 0), int(cb > 0)
    return (f"M{_xy(p1)}L{_xy(q1)}A{n(r2)} {n(r2)} 0 {big2} 0 {_xy(q2)}"
            f"L{_xy(p2)}A{n(r1)} {n(r1)} 0 {big1} 0 {_xy(p1)}Z")


def _arrow(s: Shape) -> list[str]:
    """A thick shaft with solid heads, on a white halo so it reads over the body."""
    pts = list(s.pts)
    length = sum(math.dist(p, q) for p, q in zip(pts, pts[1:], strict=False))
    size = min(HEAD_LEN, length * (0.3 if s.heads == 2 else 0.45))  # a short arrow keeps a shaft
    heads = [_head(pts[-1], pts[-2], size)]
    pts[-1] = _short(pts[-1], pts[-2], size)
    if s.heads == 2:
        heads.append(_head(pts[0], pts[1], size))
        pts[0] = _short(pts[0], pts[1], size)
    shaft = "M" + "L".join(_xy(p) for p in pts)
    tips = "".join(f"M{'L'.join(_xy(p) for p in head)}Z" for head in heads)
    return [f'<path d="{shaft}{tips}" fill="{HALO}" stroke="{HALO}" '
            f'stroke-width="{n(ARROW + 4)}"/>',
            f'<path d="{shaft}" fill="none" stroke="{INK}" stroke-width="{n(ARROW)}"/>',
            f'<path d="{tips}" fill="{INK}" stroke="{INK}" stroke-width="1"/>']


def _unit_from(tip: Point2, back: Point2) -> Point2:
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    d = math.hypot(dx, dy) or 1.0
    return dx / d, dy / d


def _short(tip: Point2, back: Point2, size: float) -> Point2:
    ux, uy = _unit_from(tip, back)
    return tip[0] - ux * size * 0.7, tip[1] - uy * size * 0.7


def _head(tip: Point2, back: Point2, size: float) -> list[Point2]:
    ux, uy = _unit_from(tip, back)
    bx, by = tip[0] - ux * size, tip[1] - uy * size
    half = size * HEAD_HALF / HEAD_LEN
    return [tip, (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]
