"""Colour arithmetic for readability: WCAG 2 contrast, and the grey a printer makes of a colour.

Colours are sRGB triples with components from 0 to 1.
"""

from __future__ import annotations

RGB = tuple[float, float, float]
WHITE: RGB = (1.0, 1.0, 1.0)
MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text


def luminance(colour: RGB) -> float:
    """WCAG 2 relative luminance."""

    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: RGB, second: RGB) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def grey(colour: RGB) -> RGB:
    """The grey of a greyscale conversion or a black-and-white printer (Rec. 601 luma)."""
    r, g, b = colour
    value = 0.299 * r + 0.587 * g + 0.114 * b
    return (value, value, value)


def worst_contrast(first: RGB, second: RGB) -> float:
    """The lower of the contrast in colour and in greyscale."""
    return min(contrast(first, second), contrast(grey(first), grey(second)))


def from_hex(text: str) -> RGB:
    """``#rgb`` or ``#rrggbb`` as a colour."""
    digits = text.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))


def to_hex(colour: RGB) -> str:
    """A colour as ``#rrggbb``."""
    return "#" + "".join(f"{round(v * 255):02x}" for v in colour)
