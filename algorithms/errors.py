"""The errors the paint-animation core raises; all subclass :class:`PaintError`."""


class PaintError(Exception):
    """Base class of every error raised by :mod:`algorithms`."""


class InvalidOptionError(PaintError, ValueError):
    """An option is unknown or out of its range; the message names it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


class ImageDecodeError(PaintError):
    """The input is not an image we can read (corrupt, truncated, unsupported)."""


class ImageTooLargeError(PaintError):
    """The image has more pixels than allowed; raised before the full decode."""


class RenderTimeoutError(PaintError):
    """The render's deadline passed before the video was finished."""


class StorageFullError(PaintError):
    """The output could not be written because the disk is full."""
