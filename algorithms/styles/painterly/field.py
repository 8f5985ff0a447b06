"""The isophote field: which way strokes run at every pixel (perpendicular to the gradient)."""

from __future__ import annotations

import cv2
import numpy as np

FLAT_BIAS = 1e-3  # of the mean gradient energy: weaker structure than this follows the slant


def stroke_direction(
    reference: np.ndarray, radius: float, rng: np.random.Generator, flat_bias: float = FLAT_BIAS
) -> np.ndarray:
    """Isophote direction of ``reference`` (H, W, 3) uint8 or float32, smoothed at the brush's scale.

    The smoothed structure tensor gives a stable orientation even where the gradient
    is weak; flat areas fall back to one slanted direction per layer.

    Returns
    -------
    ndarray, shape (H, W, 2), float32
        Unit ``(dx, dy)`` along the isophotes.
    """
    gray = cv2.cvtColor(reference, cv2.COLOR_BGR2GRAY)
    grad_x = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    grad_y = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    sigma = max(1.0, float(radius))
    tensor = cv2.GaussianBlur(cv2.merge([grad_x * grad_x, grad_x * grad_y, grad_y * grad_y]), (0, 0), sigma)
    # A default where the picture is flat: strokes run on one diagonal slant (the isophote
    # at ``slant`` is a gradient at slant - 90 degrees: doubled, opposite); ``flat_bias`` sets
    # how weak structure must be to give way to it.
    slant = rng.uniform(0.1, 0.4) * np.pi * rng.choice([-1.0, 1.0])
    bias = flat_bias * float(tensor[:, :, 0].mean() + tensor[:, :, 2].mean()) + 1e-6
    cos2 = tensor[:, :, 0] - tensor[:, :, 2] - bias * np.cos(2 * slant)
    sin2 = 2.0 * tensor[:, :, 1] - bias * np.sin(2 * slant)
    return direction_from_doubled_angle(cos2, sin2)


def direction_from_doubled_angle(cos2: np.ndarray, sin2: np.ndarray) -> np.ndarray:
    """Unit isophote directions from the gradient's doubled-angle vector ``(cos 2a, sin 2a)``.

    The doubled angle is what can be smoothed and resized: it makes a direction
    and its opposite the same.

    Returns
    -------
    ndarray, shape cos2.shape + (2,), float32
    """
    norm = np.sqrt(cos2 * cos2 + sin2 * sin2) + 1e-12
    cos2 = cos2 / norm
    # Written into the float32 result one component at a time: the whole-field temporaries
    # of a sign array and a stack (float64 for float64 input) were a painterly plan's peak.
    direction = np.empty(cos2.shape + (2,), np.float32)
    direction[:, :, 1] = np.sqrt(np.maximum(0.0, (1.0 + cos2) * 0.5))
    minus_sin = np.sqrt(np.maximum(0.0, (1.0 - cos2) * 0.5))
    np.negative(minus_sin, out=minus_sin, where=sin2 >= 0)  # the gradient's sine has sin2's sign
    direction[:, :, 0] = minus_sin
    return direction


def resized_direction(direction: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize a direction field (h, w, 2) to ``size`` (width, height) through its doubled
    angle, in which a direction and its opposite agree."""
    if (direction.shape[1], direction.shape[0]) == size:
        return direction
    dx, dy = direction[:, :, 0], direction[:, :, 1]
    doubled = cv2.merge([dx * dx - dy * dy, 2.0 * dx * dy])
    doubled = cv2.resize(doubled, size, interpolation=cv2.INTER_LINEAR)
    # direction_from_doubled_angle wants the gradient's doubled angle: the opposite vector.
    return direction_from_doubled_angle(-doubled[:, :, 0], -doubled[:, :, 1])
