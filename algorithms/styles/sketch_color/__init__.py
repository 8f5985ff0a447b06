"""Style ``sketch-color``: a pencil sketches the main lines, then a brush paints the colours in.

Modules: :mod:`.lines` traces and orders the pencil lines, :mod:`.regions` plans the
brush over colour regions, :mod:`.pacing` spreads strokes evenly over frames, and
:mod:`.animation` draws the frames.
"""

from .animation import render_sketch_color

# The golden digest of a small fixed render (tests/unit/test_golden.py): any change to
# this style's frames fails that test until this is updated, which renews the render cache.
REVISION = "c86a3279b763d218"

__all__ = ["REVISION", "render_sketch_color"]
