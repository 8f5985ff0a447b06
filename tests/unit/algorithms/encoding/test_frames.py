"""Tests of the frames styles hand over and their conversion to I420, only where they changed."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from algorithms.encoding.frames import I420Converter, to_yuv420, yuv420_frame
from algorithms.styles.sketch_color.animation import render_sketch_color
from tests.helpers.videos import psnr


def photo_like(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (12, 16, 3), np.uint8)
    return cv2.resize(small, (160, 120), interpolation=cv2.INTER_CUBIC)


def animation(show_tools: bool):
    rng = np.random.default_rng(4)
    picture = cv2.resize(rng.integers(0, 256, (9, 12, 3), np.uint8), (120, 90), interpolation=cv2.INTER_CUBIC)
    return render_sketch_color(
        picture, frame_count=60, fps=12, rng=np.random.default_rng(1), tool="hand" if show_tools else "none"
    )


def test_conversion_keeps_colour_and_averages_chroma():
    frame = photo_like(3)
    planes = to_yuv420(frame)
    assert planes.shape == (180, 160) and planes.dtype == np.uint8
    decoded = av.VideoFrame.from_ndarray(planes, format="yuv420p").to_ndarray(format="bgr24")
    opencv_planes = cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420)
    opencv_decoded = av.VideoFrame.from_ndarray(opencv_planes, format="yuv420p").to_ndarray(format="bgr24")
    assert psnr(decoded, frame) > psnr(opencv_decoded, frame) + 0.5
    for colour in [(0, 0, 0), (255, 255, 255), (0, 0, 255), (255, 0, 0), (0, 255, 0)]:
        flat = np.full((4, 4, 3), colour, np.uint8)
        back = av.VideoFrame.from_ndarray(to_yuv420(flat), format="yuv420p").to_ndarray(format="bgr24")
        assert np.abs(back.astype(int) - colour).max() <= 3


@pytest.mark.parametrize("show_tools", [True, False])
def test_incremental_conversion_matches_converting_every_frame_whole(show_tools):
    convert = I420Converter()
    skipped = 0
    for update in animation(show_tools):
        assert np.array_equal(convert(update), to_yuv420(update.image))
        skipped += update.changed is not None and update.changed[2] <= update.changed[0]
    assert skipped >= 10, "the still hold converts nothing"


@pytest.mark.parametrize("width, height", [(600, 400), (450, 300), (34, 2)])
def test_video_frame_holds_the_planes_whatever_the_line_padding(width, height):
    planes = np.random.default_rng(width).integers(0, 256, (height * 3 // 2, width), np.uint8)
    frame = yuv420_frame(planes)
    assert (frame.width, frame.height, frame.format.name) == (width, height, "yuv420p")
    assert np.array_equal(frame.to_ndarray(), planes)


@pytest.mark.parametrize("reuse_after", [0, 1, 5])
def test_reused_encoder_frames_hold_each_frame_whole(reuse_after):
    convert = I420Converter(reuse_after=reuse_after)
    handed_out = []
    for index, update in enumerate(animation(show_tools=True)):
        video_frame = convert.video_frame(update)
        assert video_frame.pts is None and video_frame.pict_type == av.video.frame.PictureType.NONE
        assert np.array_equal(video_frame.to_ndarray(), to_yuv420(update.image)), f"frame {index}"
        video_frame.pts, video_frame.pict_type = index, av.video.frame.PictureType.I  # as the encoder would
        handed_out.append(video_frame)
    assert len({id(frame) for frame in handed_out}) == (reuse_after or len(handed_out))
