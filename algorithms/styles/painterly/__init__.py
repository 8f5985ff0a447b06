"""Style ``painterly``: the picture painted in brush strokes, coarse to fine (after Hertzmann).

Modules, in the order a painting is made: :mod:`.regions` (the areas, in painting order),
:mod:`.field` (stroke directions), :mod:`.starts` (where strokes begin), :mod:`.strokes`
(growing them), :mod:`.select` (dropping redundant ones), :mod:`.order` (the brush's tour),
:mod:`.plan` (the layers' settings), :mod:`.area` (a layer's strokes in some areas, from all
of these), :mod:`.texture` (paper and bristles),
:mod:`.canvas` (laying paint), :mod:`.painting` (every layer, area by area),
:mod:`.finish` (the photo's strokes), :mod:`.schedule` (when each stroke is painted),
:mod:`.painter` (laying them frame by frame) and :mod:`.animation` (the frames).
"""

from .animation import render_painterly

# The golden digest of a small fixed render (tests/unit/test_golden.py): any change to
# this style's frames fails that test until this is updated, which renews the render cache.
REVISION = "3f257ea5a95b8bb0"

__all__ = ["REVISION", "render_painterly"]
