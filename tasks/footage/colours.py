"""Dominant colours of a frame, named from a short palette a model and a person both know."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["DominantColour", "dominant_colours"]

# Four levels per channel: 64 colour bins is coarse enough that a bin is a colour a person
# would name, fine enough to separate a sky from a shirt.
_COLOUR_SHIFT = 6
_MIN_COLOUR_SHARE = 0.05

# (name, RGB) — a short palette a text model and a person both understand.
_PALETTE: tuple[tuple[str, tuple[int, int, int]], ...] = (
    ("black", (0, 0, 0)),
    ("dark grey", (64, 64, 64)),
    ("grey", (128, 128, 128)),
    ("light grey", (192, 192, 192)),
    ("white", (255, 255, 255)),
    ("red", (200, 30, 30)),
    ("dark red", (110, 15, 20)),
    ("pink", (240, 150, 180)),
    ("orange", (240, 130, 30)),
    ("brown", (120, 75, 35)),
    ("beige", (220, 200, 160)),
    ("yellow", (235, 220, 40)),
    ("olive", (120, 120, 30)),
    ("green", (40, 160, 50)),
    ("dark green", (20, 80, 30)),
    ("teal", (20, 130, 130)),
    ("cyan", (60, 210, 230)),
    ("sky blue", (120, 180, 235)),
    ("blue", (30, 70, 200)),
    ("navy", (20, 30, 90)),
    ("purple", (120, 50, 160)),
    ("magenta", (210, 50, 190)),
)


class DominantColour(BaseModel):
    """One of the frame's main colours."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Nearest plain colour name (perceptual Lab distance).")
    hex: str = Field(description="Mean colour of the pixels in this bin, '#rrggbb'.")
    share: float = Field(description="Fraction of the frame's pixels, 0..1.")


_PALETTE_RGB = np.array([colour for _, colour in _PALETTE], np.float32)


def _name_colour(bgr: npt.NDArray[np.uint8]) -> str:
    # "Redmean" weighted RGB distance: close to perceptual for naming, and unlike a Lab
    # conversion it needs no OpenCV lookup tables built on first use.
    blue, green, red = (float(v) for v in bgr)
    mean_red = (_PALETTE_RGB[:, 0] + red) / 2.0
    d_red = _PALETTE_RGB[:, 0] - red
    d_green = _PALETTE_RGB[:, 1] - green
    d_blue = _PALETTE_RGB[:, 2] - blue
    distance = (
        (2.0 + mean_red / 256.0) * d_red**2
        + 4.0 * d_green**2
        + (2.0 + (255.0 - mean_red) / 256.0) * d_blue**2
    )
    return _PALETTE[int(np.argmin(distance))][0]


def dominant_colours(thumb_bgr: npt.NDArray[np.uint8], top: int = 3) -> list[DominantColour]:
    """The ``top`` colours that cover at least 5% of ``thumb_bgr``, largest share first."""
    thumb = thumb_bgr.reshape(-1, 3)
    levels = thumb >> _COLOUR_SHIFT
    bins = (
        (levels[:, 0].astype(np.int32) << 4) | (levels[:, 1].astype(np.int32) << 2) | levels[:, 2]
    )
    counts = np.bincount(bins, minlength=64)
    total = float(len(bins))
    colours: list[DominantColour] = []
    for index in np.argsort(counts)[::-1][:top]:
        share = counts[index] / total
        if share < _MIN_COLOUR_SHARE:
            break
        mean = thumb[bins == index].mean(axis=0).round().astype(np.uint8)
        blue, green, red = (int(v) for v in mean)
        colours.append(
            DominantColour(
                name=_name_colour(mean),
                hex=f"#{red:02x}{green:02x}{blue:02x}",
                share=round(float(share), 3),
            )
        )
    return colours
