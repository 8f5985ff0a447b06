"""From frames to a video file: I420 conversion of what changed, the drawing/encoding
pipeline and the atomic MP4 writer."""

from .frames import Frame, FrameUpdate, I420Converter
from .pipeline import FRAMES_IN_USE, FramePipeline
from .writer import PART_MARKER, VideoWriter

__all__ = [
    "FRAMES_IN_USE",
    "PART_MARKER",
    "Frame",
    "FramePipeline",
    "FrameUpdate",
    "I420Converter",
    "VideoWriter",
]
