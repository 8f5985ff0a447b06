"""A right hand holding the tool, as shapes in the tool's own coordinates.

Coordinates are ``(u, v)`` in units of the tool's length: ``u`` runs along the tool from its
tip, ``v`` across it, positive on the side away from the tool's lean (where a right hand
rests on the paper). Each part is a polygon with a colour; the hand's parts are drawn
in two layers, behind the tool (the palm, the middle finger under it) and in front of it
(the thumb and index finger pinching it), each over a slightly larger darker outline.
"""

from __future__ import annotations

import numpy as np

Polygon = list[tuple[float, float]]
Part = tuple[Polygon, tuple[int, int, int]]

SKIN_BGR = (150, 182, 226)
SKIN_SHADE_BGR = (128, 160, 205)
OUTLINE_BGR = (82, 98, 140)
OUTLINE = 0.007  # outline width, in tool lengths
CUFF_BGR = (150, 120, 96)


def capsule(start: tuple[float, float], stop: tuple[float, float], radius: float) -> Polygon:
    """A rounded finger from ``start`` to ``stop`` with a round end of ``radius``."""
    a, b = np.array(start), np.array(stop)
    axis = (b - a) / max(float(np.hypot(*(b - a))), 1e-9)
    normal = np.array([-axis[1], axis[0]])
    angles = np.linspace(-np.pi / 2, np.pi / 2, 10)
    cap_b = [b + radius * (np.cos(t) * axis + np.sin(t) * normal) for t in angles]
    cap_a = [a - radius * (np.cos(t) * axis + np.sin(t) * normal) for t in angles]
    return [(float(x), float(y)) for x, y in cap_b + cap_a]


def ellipse(centre: tuple[float, float], axes: tuple[float, float], turn: float = 0.0) -> Polygon:
    """An ellipse of semi-axes ``axes`` (along u, along v) turned by ``turn`` radians."""
    angles = np.linspace(0, 2 * np.pi, 28, endpoint=False)
    cos, sin = np.cos(turn), np.sin(turn)
    points = []
    for t in angles:
        x, y = axes[0] * np.cos(t), axes[1] * np.sin(t)
        points.append((float(centre[0] + cos * x - sin * y), float(centre[1] + sin * x + cos * y)))
    return points


def _outlined(polygon: Polygon, colour: tuple[int, int, int]) -> list[Part]:
    """``polygon`` over a darker copy grown by the outline width."""
    centre = np.mean(np.array(polygon), axis=0)
    grown = []
    for point in polygon:
        offset = np.array(point) - centre
        length = max(float(np.hypot(*offset)), 1e-9)
        grown.append(tuple(centre + offset * (length + OUTLINE) / length))
    return [([(float(u), float(v)) for u, v in grown], OUTLINE_BGR), (polygon, colour)]


def hand_behind() -> list[Part]:
    """The parts drawn before the tool: the forearm and cuff, the back of the hand and the middle
    finger under the tool."""
    return [
        *_outlined(capsule((0.55, 0.27), (1.15, 0.40), 0.12), SKIN_SHADE_BGR),
        *_outlined(capsule((1.02, 0.37), (1.25, 0.42), 0.135), CUFF_BGR),
        *_outlined(ellipse((0.53, 0.23), (0.21, 0.16), 0.35), SKIN_BGR),
        *_outlined(capsule((0.40, 0.16), (0.21, 0.075), 0.034), SKIN_SHADE_BGR),
    ]


def hand_in_front() -> list[Part]:
    """The parts drawn over the tool: the thumb and the index finger pinching it."""
    return [
        *_outlined(capsule((0.44, -0.005), (0.25, -0.045), 0.033), SKIN_SHADE_BGR),
        *_outlined(capsule((0.52, 0.10), (0.19, 0.032), 0.036), SKIN_BGR),
    ]
