"""Style ``painterly``: the picture painted in brush strokes, coarse to fine (after Hertzmann).

Modules, in the order a layer is made: :mod:`.field` (stroke directions), :mod:`.starts`
(where strokes begin), :mod:`.strokes` (growing them), :mod:`.select` (dropping redundant
ones), :mod:`.order` (painting order), :mod:`.plan` (a layer from all of these),
:mod:`.texture` (paper and bristles), :mod:`.canvas` (laying paint), :mod:`.schedule`
(when each stroke is painted) and :mod:`.animation` (the frames).
"""

from .animation import render_painterly

# The golden digest of a small fixed render (tests/unit/test_golden.py): any change to
# this style's frames fails that test until this is updated, which renews the render cache.
REVISION = "1cd9fc5fc7dd7e21"

__all__ = ["REVISION", "render_painterly"]
