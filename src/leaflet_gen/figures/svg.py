"""SVG output: numbered panels side by side or stacked, outlined capsules, arrows, badges."""

from __future__ import annotations

import math
from dataclasses import replace
from xml.sax.saxutils import escape

from .scene import ACCENT, BAND, INK, NERVE, PROP_INK, Point2, Shape

WIDTH, MAX_HEIGHT = 480.0, 320.0  # viewBox (3:2 at most); printed about 115 mm wide
GAP, PAD = 8.0, 10.0
LINE, THIN, ARROW, BAND_WIDTH, NERVE_WIDTH = 1.8, 1.2, 4.2, 4.6, 4.2  # stroke widths
HEAD_LEN, HEAD_HALF = 16.0, 10.0
BADGE = 11.0  # badge radius
WATCH = 19.0  # stopwatch radius, its crown included
FRAME, HALO = "#b5b5b5", "#fff"

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


def render(panels: list[list[Shape]], *, title: str, desc: str, rtl: bool,
           sign: str = "") -> str:
    """The SVG document: every panel at the same scale, numbered in reading order, with a
    sign in the last panel's freest other corner: ``hold`` a stopwatch (hold the position),
    ``repeat`` two arrows chasing round a circle (keep moving back and forth).

    Panels sit side by side (each as wide as its own drawing, all sharing one height) or one
    above the other (sharing one horizontal window, each as tall as its drawing), whichever
    draws the figure bigger within the 3:2 picture; the floor and the mat are cut at the frame.
    """
    boxes = [_bounds(panel) for panel in panels]
    x0, x1 = min(b[0] for b in boxes), max(b[2] for b in boxes)
    y0, y1 = min(b[1] for b in boxes), max(b[3] for b in boxes)
    count = len(panels)
    row_w = sum(b[2] - b[0] for b in boxes)
    col_h = sum(b[3] - b[1] for b in boxes)
    in_row = min((WIDTH - (count - 1) * GAP - 2 * PAD * count) / row_w,
                 (MAX_HEIGHT - 2 * PAD) / (y1 - y0))
    in_column = min((WIDTH - 2 * PAD) / (x1 - x0),
                    (MAX_HEIGHT - (count - 1) * GAP - 2 * PAD * count) / col_h)
    cells = []  # x, y, width, height of the frame; x, y offset of the drawing
    if in_row >= in_column:
        scale = in_row
        spare = (WIDTH - (count - 1) * GAP - sum((b[2] - b[0]) * scale + 2 * PAD for b in boxes))
        widths = [(b[2] - b[0]) * scale + 2 * PAD + spare / count for b in boxes]
        height = (y1 - y0) * scale + 2 * PAD
        order = list(range(count))[::-1] if rtl else list(range(count))
        x = 0.0
        lefts = [0.0] * count
        for i in order:
            lefts[i] = x
            x += widths[i] + GAP
        for i, b in enumerate(boxes):
            ox = lefts[i] + (widths[i] - (b[2] - b[0]) * scale) / 2 - b[0] * scale
            cells.append((lefts[i], 0.0, widths[i], height, ox, PAD - y0 * scale))
    else:
        scale = in_column
        y = 0.0
        for b in boxes:
            h = (b[3] - b[1]) * scale + 2 * PAD
            ox = (WIDTH - (x1 - x0) * scale) / 2 - x0 * scale
            cells.append((0.0, y, WIDTH, h, ox, y + PAD - b[1] * scale))
            y += h + GAP
        height = y - GAP
    moved = [[_clipped(_moved(s, scale, ox, oy), cx, cw) for s in panel]
             for panel, (cx, _, cw, _, ox, oy) in zip(panels, cells, strict=True)]
    corner = _corner(moved, cells, rtl)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n(WIDTH)} {n(height)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
        '<g stroke-linecap="round" stroke-linejoin="round">',
    ]
    for number, (shapes, (cx, cy, cw, ch, _, _)) in enumerate(zip(moved, cells, strict=True), 1):
        out.append(f'<rect x="{n(cx + 0.5)}" y="{n(cy + 0.5)}" width="{n(cw - 1)}" '
                   f'height="{n(ch - 1)}" rx="6" fill="#fff" stroke="{FRAME}"/>')
        out += _shapes([s for s in shapes if s.pts])
        out += _badge(number, _badge_centre(corner, cx, cy, cw, ch))
    if sign:
        spot = _corner(moved[-1:], cells[-1:], rtl, besides=corner, size=WATCH)
        centre = _badge_centre(spot, *cells[-1][:4], size=WATCH)
        out += _stopwatch(centre) if sign == "hold" else _repeat(centre)
    out += ["</g>", "</svg>"]
    return "\n".join(out) + "\n"


def sign_svg(kind: str) -> str:
    """One of the pictures' signs on its own, for the legend beside the exercises: the panel
    badges ``1`` and ``2``, ``hold`` (the stopwatch), ``repeat`` (keep moving) or ``nerve``
    (a stretch of the yellow line a picture draws a nerve with)."""
    size = 2 * WATCH + 2
    centre = (size / 2, size / 2)
    drawn = {"1": lambda: _badge(1, centre), "2": lambda: _badge(2, centre),
             "hold": lambda: _stopwatch(centre), "repeat": lambda: _repeat(centre),
             "nerve": lambda: _nerve_sign(size)}[kind]()
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n(size)} {n(size)}">',
        f"<title>{escape(kind)}</title>",
        '<g stroke-linecap="round" stroke-linejoin="round">', *drawn, "</g>", "</svg>",
    ]) + "\n"


def _nerve_sign(size: float) -> list[str]:
    """A gently curving stretch of nerve across the sign's square, drawn as in the pictures."""
    pts = [(size * (0.1 + 0.8 * i / 16), size * (0.5 - 0.2 * math.sin(math.pi * i / 8)))
           for i in range(17)]
    return _nerve_path(pts)


def _nerve_path(pts) -> list[str]:
    """A nerve: a yellow line with a dark outline, round at its ends and bends."""
    d = "M" + "L".join(_xy(p) for p in pts)
    return [f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="{n(NERVE_WIDTH + 2)}" '
            'stroke-linecap="round" stroke-linejoin="round"/>',
            f'<path d="{d}" fill="none" stroke="{NERVE}" stroke-width="{n(NERVE_WIDTH)}" '
            'stroke-linecap="round" stroke-linejoin="round"/>']


def _bounds(shapes: list[Shape]) -> tuple[float, float, float, float]:
    """The drawing's extent; the floor and the mat, which are cut at the frame, only count
    upwards and downwards."""
    xs, ys = [], []
    for s in shapes:
        radii = s.radii or (4.0 if s.kind == "arrow" else 0.0,) * len(s.pts)
        for (x, y), r in zip(s.pts, radii, strict=True):
            if not s.clip:
                xs += [x - r, x + r]
            ys += [y - r, y + r]
    return min(xs), min(ys), max(xs), max(ys)


def _clipped(s: Shape, left: float, width: float) -> Shape:
    """A floor line or mat face cut at the panel's frame (left and right)."""
    if not s.clip:
        return s
    lo, hi = left + 1.5, left + width - 1.5
    pts = list(s.pts)
    for edge, keep in ((lo, lambda x: x >= lo), (hi, lambda x: x <= hi)):
        out: list[Point2] = []
        closed = s.kind == "polygon"
        pairs = zip(pts, pts[1:] + pts[:1] if closed else pts[1:], strict=False)
        if not closed and pts and keep(pts[0][0]):
            out.append(pts[0])
        for p, q in pairs:
            if keep(p[0]) != keep(q[0]):
                t = (edge - p[0]) / (q[0] - p[0])
                out.append((edge, p[1] + t * (q[1] - p[1])))
            if keep(q[0]):
                out.append(q)
        if closed and out and out[-1] == out[0] and len(out) > 1:
            out.pop()
        pts = out
    if len(pts) < (3 if s.kind == "polygon" else 2):
        pts = []
    return replace(s, pts=tuple(pts))


def _moved(s: Shape, scale: float, ox: float, oy: float) -> Shape:
    pts = tuple((x * scale + ox, y * scale + oy) for x, y in s.pts)
    return replace(s, pts=pts, radii=tuple(r * scale for r in s.radii))


def _corner(panels: list[list[Shape]], cells, rtl: bool, besides: str = "",
            size: float = BADGE) -> str:
    """The top corner (else bottom) that the panels' drawings reach into least (not counting
    the props' faces: a badge on a wall or a chair still reads, one on a limb hides it); for a sign
    other than ``besides`` (the badges' corner), or next to the badge there (``tl+``…) when
    that is freer than the other top corner."""
    order = ["tr", "tl", "br", "bl"] if rtl else ["tl", "tr", "bl", "br"]
    if besides:
        order.remove(besides)
        order.insert(1 if besides[0] == "t" else 2, besides + "+")

    def clash(corner: str) -> float:
        total = 0.0
        for shapes, (cx, cy, cw, ch, _, _) in zip(panels, cells, strict=True):
            b = _badge_centre(corner, cx, cy, cw, ch, size)
            total += sum(max(0.0, size + 3 - _reach(s, b)) for s in shapes
                         if not (s.clip or s.thin))
        return total

    return min(order, key=lambda c: (round(clash(c)), order.index(c)))


def _reach(s: Shape, p: Point2) -> float:
    """Distance from ``p`` to a shape's outline (its segments, widened by their radii)."""
    pts = list(s.pts)
    if s.kind == "polygon":
        pts.append(pts[0])
    radii = list(s.radii) or [4.0 if s.kind == "arrow" else 1.0] * len(pts)
    best = math.inf
    for i in range(max(1, len(pts) - 1)):
        a, b = pts[i], pts[min(i + 1, len(pts) - 1)]
        ra, rb = radii[min(i, len(radii) - 1)], radii[min(i + 1, len(radii) - 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = dx * dx + dy * dy
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length)) if length else 0
        best = min(best, math.dist(p, (a[0] + t * dx, a[1] + t * dy)) - (ra + (rb - ra) * t))
    return best


def _badge_centre(corner: str, cx: float, cy: float, cell_w: float, cell_h: float,
                  size: float = BADGE) -> Point2:
    """The centre of a badge or sign in a corner (``+``: beside the badge in that corner)."""
    inset = size + 4
    across = inset + (2 * BADGE + 6 if corner.endswith("+") else 0)
    x = cx + across if corner[1] == "l" else cx + cell_w - across
    y = cy + inset if corner[0] == "t" else cy + cell_h - inset
    return x, y


def _badge(number: int, centre: Point2) -> list[str]:
    """A dark disc with the panel number drawn as strokes."""
    bx, by = centre
    k, dx, dy = 1.05, bx - 5.25 * 1.05, by - 7.0 * 1.05
    d = "".join(cmd + " ".join(n(v * k + (dx if i % 2 == 0 else dy)) for i, v in
                               enumerate(args)) for cmd, *args in DIGITS[number])
    return [f'<circle cx="{n(bx)}" cy="{n(by)}" r="{n(BADGE)}" fill="{INK}" stroke="{HALO}" '
            f'stroke-width="1.5"/>',
            f'<path d="{d}" fill="none" stroke="{HALO}" stroke-width="2.4"/>']


def _stopwatch(centre: Point2) -> list[str]:
    """A stopwatch (hold the position): a white dial under a crown, the time gone by filled in
    the accent tone from 12 to 4 o'clock, and a hand."""
    bx, by = centre[0], centre[1] + 2.5  # the crown takes the top of the corner's room
    r = WATCH - 4.5
    ex, ey = bx + r * math.sin(math.radians(120)), by - r * math.cos(math.radians(120))
    k = (r - 2.2) / r
    return [f'<path d="M{n(bx)} {n(by - r)}V{n(by - r - 3.5)}M{n(bx - 3.5)} {n(by - r - 4)}'
            f'H{n(bx + 3.5)}M{n(bx + r * 0.72)} {n(by - r * 0.72)}l2.5 -2.5" fill="none" '
            f'stroke="{INK}" stroke-width="2.6"/>',
            f'<circle cx="{n(bx)}" cy="{n(by)}" r="{n(r)}" fill="#fff" stroke="{INK}" '
            'stroke-width="2.2"/>',
            f'<path d="M{n(bx)} {n(by)}V{n(by - r * k)}A{n(r * k)} {n(r * k)} 0 0 1 '
            f'{n(bx + (ex - bx) * k)} {n(by + (ey - by) * k)}Z" fill="{ACCENT}" '
            f'stroke="{INK}" stroke-width="1.2"/>',
            f'<path d="M{n(bx)} {n(by)}L{n(bx + (ex - bx) * k)} {n(by + (ey - by) * k)}" '
            f'fill="none" stroke="{INK}" stroke-width="2"/>']


def _repeat(centre: Point2) -> list[str]:
    """Two arrows chasing each other round a circle (again and again), on a white disc."""
    bx, by = centre
    r, size = WATCH - 7.5, 8.0
    d, tips = "", ""
    for start in (195, 15):  # each arc runs clockwise to a head, a gap before the other
        pts = [(bx + r * math.cos(math.radians(a)), by + r * math.sin(math.radians(a)))
               for a in range(start, start + 141, 10)]
        head = _head(pts[-1], pts[-2], size)
        pts[-1] = _short(pts[-1], pts[-2], size)
        d += "M" + "L".join(_xy(p) for p in pts)
        tips += f"M{'L'.join(_xy(p) for p in head)}Z"
    return [f'<circle cx="{n(bx)}" cy="{n(by)}" r="{n(WATCH - 1)}" fill="#fff" stroke="{INK}" '
            'stroke-width="1.2"/>',
            f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="3"/>',
            f'<path d="{tips}" fill="{INK}" stroke="{INK}" stroke-width="1"/>']


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
            d = "M" + "L".join(_xy(p) for p in s.pts)
            if not (s.thin or s.dashed or len(s.pts) > 2):  # a band, on a white halo
                out += [f'<path d="{d}" fill="none" stroke="{HALO}" '
                        f'stroke-width="{n(BAND_WIDTH + 3)}"/>',
                        f'<path d="{d}" fill="none" stroke="{BAND}" '
                        f'stroke-width="{n(BAND_WIDTH)}"/>']
                continue
            style = (f'stroke="{PROP_INK}" stroke-width="1.5"' if s.thin else
                     f'stroke="{INK}" stroke-width="2" stroke-dasharray="5 4"' if s.dashed else
                     f'stroke="{INK}" stroke-width="2.6"')  # the back's line
            out.append(f'<path d="{d}" fill="none" {style}/>')
        elif s.kind == "nerve":
            out += _nerve_path(s.pts)
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
    """A thick shaft with solid heads, on a white halo so it reads over the body (the halo
    of a curved shaft is a line, never a filled area that would hide what it bows around)."""
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
    return [f'<path d="{shaft}" fill="none" stroke="{HALO}" stroke-width="{n(ARROW + 4)}"/>',
            f'<path d="{tips}" fill="{HALO}" stroke="{HALO}" stroke-width="{n(ARROW + 4)}"/>',
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
