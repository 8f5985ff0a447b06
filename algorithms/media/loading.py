"""Decoding an input image into the 8-bit BGR picture the animation is made of."""

from __future__ import annotations

import os

import cv2
import numpy as np

from ..errors import ImageDecodeError, ImageTooLargeError
from .header import ImageInfo, read_image_info

MIN_LONG_SIDE = 256
MAX_ASPECT_RATIO = 32.0
_REDUCED_FLAGS = (
    (8, cv2.IMREAD_REDUCED_COLOR_8),
    (4, cv2.IMREAD_REDUCED_COLOR_4),
    (2, cv2.IMREAD_REDUCED_COLOR_2),
)


def output_size(width: int, height: int, *, max_size: int) -> tuple[int, int]:
    """Return the video's ``(width, height)`` for a source of ``width`` x ``height``.

    The long side becomes ``min(max_size, max(256, long side))``, the aspect
    ratio is kept and both sides are rounded to even numbers (at least 2); the
    long side is rounded down, so it never exceeds ``max_size``.
    """
    long_side = max(width, height)
    target = min(max_size, max(MIN_LONG_SIDE, long_side))
    scale = max(2, target // 2 * 2) / long_side

    def even(side: int) -> int:
        return max(2, int(round(side * scale / 2.0)) * 2)

    return even(width), even(height)


def probe_image(image_path: str | os.PathLike, *, max_pixels: int) -> ImageInfo:
    """Check the header of ``image_path``: a supported format within ``max_pixels``.

    Raises
    ------
    ImageDecodeError
        Not a supported image, or an unreadable file.
    ImageTooLargeError
        More than ``max_pixels`` pixels, or a long side more than 32 times the short one.
    """
    try:
        with open(image_path, "rb") as stream:
            info = read_image_info(stream)
    except OSError as exc:
        raise ImageDecodeError("the image file could not be read") from exc
    pixels = info.width * info.height
    if pixels > max_pixels:
        raise ImageTooLargeError(
            f"the image is {info.width}x{info.height} ({pixels / 1e6:.1f} MP); "
            f"the limit is {max_pixels / 1e6:.1f} MP"
        )
    if max(info.width, info.height) > MAX_ASPECT_RATIO * min(info.width, info.height):
        raise ImageTooLargeError(
            f"the image is {info.width}x{info.height}; a long side more than "
            f"{MAX_ASPECT_RATIO:g} times the short one is not supported"
        )
    return info


def load_image(image_path: str | os.PathLike, *, max_size: int, max_pixels: int) -> np.ndarray:
    """Decode ``image_path`` into the picture to animate.

    Grayscale, palette, 16-bit and CMYK sources become 8-bit colour; alpha is
    composited on white; JPEG EXIF orientation is applied; for animated GIF and
    multi-page TIFF only the first frame is read.

    Returns
    -------
    picture : ndarray, shape (H, W, 3), uint8
        BGR picture at the output size (see :func:`output_size`).
    """
    info = probe_image(image_path, max_pixels=max_pixels)
    width, height = output_size(info.width, info.height, max_size=max_size)
    decoded = _decode(os.fspath(image_path), info, max(width, height))
    picture = _to_bgr8(decoded)
    if picture.shape[1] != width or picture.shape[0] != height:
        shrinking = picture.shape[1] > width
        interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
        picture = cv2.resize(picture, (width, height), interpolation=interpolation)
    return picture


def _decode(path: str, info: ImageInfo, target_long_side: int) -> np.ndarray:
    flags = cv2.IMREAD_UNCHANGED
    if info.format == "jpeg":
        flags = cv2.IMREAD_COLOR  # applies EXIF orientation and converts CMYK
        source_long_side = max(info.width, info.height)
        for factor, reduced_flag in _REDUCED_FLAGS:
            if source_long_side // factor >= target_long_side:
                flags = reduced_flag
                break
    try:
        decoded = cv2.imread(path, flags)
    except cv2.error as exc:
        raise ImageDecodeError(f"the {info.format.upper()} image could not be decoded") from exc
    if decoded is None or decoded.size == 0:
        raise ImageDecodeError(f"the {info.format.upper()} image could not be decoded")
    return decoded


def _to_bgr8(decoded: np.ndarray) -> np.ndarray:
    if decoded.dtype == np.uint16:
        decoded = (decoded >> 8).astype(np.uint8)
    elif decoded.dtype != np.uint8:
        raise ImageDecodeError(f"images with {decoded.dtype} samples are not supported")
    if decoded.ndim == 2:
        return cv2.cvtColor(decoded, cv2.COLOR_GRAY2BGR)
    channels = decoded.shape[2]
    if channels == 1:
        return cv2.cvtColor(decoded, cv2.COLOR_GRAY2BGR)
    if channels == 2:  # gray + alpha
        return _composite_on_white(cv2.cvtColor(decoded[:, :, 0], cv2.COLOR_GRAY2BGR), decoded[:, :, 1])
    if channels == 4:
        return _composite_on_white(decoded[:, :, :3], decoded[:, :, 3])
    if channels == 3:
        return np.ascontiguousarray(decoded)
    raise ImageDecodeError(f"images with {channels} channels are not supported")


def _composite_on_white(colour: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    weight = alpha.astype(np.float32)[:, :, None] / 255.0
    blended = colour.astype(np.float32) * weight + 255.0 * (1.0 - weight)
    return np.clip(blended + 0.5, 0, 255).astype(np.uint8)
