"""The GIF's palette (the drawn colours, then k-means of the picture) and its nearest-colour table."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.encoding.palette import COLOURS, TABLE_BITS, UNUSED_INDEX, NearestTable, make_palette
from tests.helpers.images import smooth_picture

DRAWN = np.array([[240, 245, 248], [62, 60, 58], [150, 182, 226]], np.uint8)


def rms_to_nearest(pixels: np.ndarray, palette: np.ndarray) -> float:
    """The RMS distance from each colour of ``pixels`` (n, 3) to its nearest in ``palette``."""
    distances = ((pixels[:, None, :].astype(float) - palette[None, :, :].astype(float)) ** 2).sum(axis=2)
    return float(np.sqrt(distances.min(axis=1).mean()))


def test_the_palette_holds_the_drawn_colours_then_the_pictures():
    picture = smooth_picture(200, 150, seed=3)
    palette = make_palette(picture, drawn=DRAWN)
    assert palette.shape == (COLOURS, 3) and palette.dtype == np.uint8
    assert {tuple(colour) for colour in DRAWN} <= {tuple(colour) for colour in palette[: len(DRAWN)]}
    pixels = picture.reshape(-1, 3)[::7]
    assert rms_to_nearest(pixels, palette) < 6.0
    assert rms_to_nearest(pixels, DRAWN) > 40.0  # the picture's colours are not the drawn ones


def test_a_picture_of_few_colours_gets_exactly_those_and_the_same_palette_every_time():
    picture = np.zeros((40, 60, 3), np.uint8)  # small enough for k-means to take as it is
    picture[:, 20:40], picture[:, 40:] = (10, 200, 30), (250, 20, 90)
    palette = make_palette(picture, drawn=DRAWN)
    assert {tuple(colour) for colour in palette} == {
        tuple(c) for c in [*DRAWN, (0, 0, 0), (10, 200, 30), (250, 20, 90)]
    }
    assert np.array_equal(make_palette(picture, drawn=DRAWN), palette)


def test_too_many_drawn_colours_are_refused():
    with pytest.raises(ValueError, match="no room"):
        make_palette(np.zeros((8, 8, 3), np.uint8), drawn=np.arange(COLOURS * 3).reshape(-1, 3) % 256)


def test_the_table_cell_of_every_colour_is_its_top_bits():
    levels = np.arange(256, dtype=np.uint8)
    every = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(4096, 4096, 3)
    table = NearestTable(DRAWN)
    blue, green, red = (
        every[:, :, channel].astype(np.uint32) >> (8 - bits) for channel, bits in enumerate(TABLE_BITS)
    )
    assert np.array_equal(table.cells(every), blue | green << 8 | red << 16)


def test_a_colour_gets_the_entry_nearest_its_cell_and_a_palette_colour_itself():
    rng = np.random.default_rng(5)
    palette = rng.integers(0, 256, (200, 3), np.uint8)
    table = NearestTable(palette)
    colours = rng.integers(0, 256, (1, 3000, 3), np.uint8)
    steps = np.array([1 << (8 - bits) for bits in TABLE_BITS])
    centres = (colours[0] // steps) * steps + (steps - 1) / 2
    distances = ((centres[:, None, :] - palette[None].astype(float)) ** 2).sum(axis=2)
    found = table.lookup(colours)[0]
    assert np.allclose(distances[np.arange(3000), found], distances.min(axis=1))
    assert np.array_equal(table.lookup(palette[None])[0], np.arange(200))
    assert UNUSED_INDEX not in table.table[table.cells(colours)]
