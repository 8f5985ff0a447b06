"""Tests of the video writer: every format's codec, atomic output, keyframes, disk-full errors."""

from __future__ import annotations

import errno

import av
import cv2
import numpy as np
import pytest

from algorithms import PaintError, StorageFullError
from algorithms.encoding.codecs import Encoder, encoder_for, vp9
from algorithms.encoding.formats import FORMATS
from algorithms.encoding.frames import to_yuv420, yuv420_frame
from algorithms.encoding.writer import PART_MARKER, VideoWriter
from tests.helpers.videos import decode_frames, psnr, stream_facts, top_level_boxes

CODEC_OF = {"mp4": "h264", "webm": "vp9", "gif": "gif"}


def photo_like(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (12, 16, 3), np.uint8)
    return cv2.resize(small, (160, 120), interpolation=cv2.INTER_CUBIC)


def frames_for(encoder: Encoder, count: int) -> list[av.VideoFrame]:
    """``count`` changing frames of 160x120 in the encoder's pixel format."""
    if encoder.pix_fmt != "pal8":
        return [yuv420_frame(to_yuv420(photo_like(index))) for index in range(count)]
    palette = np.zeros((256, 4), np.uint8)
    palette[:, 0], palette[:, 1] = 255, np.arange(256)  # opaque reds
    return [
        av.VideoFrame.from_ndarray(((photo_like(index)[:, :, 2] // 2), palette), format="pal8")
        for index in range(count)
    ]


def test_writes_h264_faststart_and_renames_at_the_end(tmp_path):
    output = tmp_path / "clip.mp4"
    with VideoWriter(output, width=160, height=120, fps=24) as writer:
        for index in range(40):
            writer.write(photo_like(index))
            assert not output.exists(), "nothing at the final name until the end"
        assert [p.name for p in tmp_path.iterdir() if PART_MARKER in p.name]
    assert list(tmp_path.iterdir()) == [output]
    assert stream_facts(output)["frames"] == 40
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_format_is_written_atomically_with_its_codec(tmp_path, format_name):
    output = tmp_path / f"clip{FORMATS[format_name].extension}"
    encoder = encoder_for(format_name, 160, 120)
    with VideoWriter(output, width=160, height=120, fps=20, encoder=encoder) as writer:
        for frame in frames_for(encoder, 12):
            writer.write_frame(frame)
            assert not output.exists()
    assert list(tmp_path.iterdir()) == [output]
    facts = stream_facts(output)
    assert (facts["codec"], facts["frames"]) == (CODEC_OF[format_name], 12)
    assert (facts["width"], facts["height"]) == (160, 120)


def test_an_error_inside_removes_the_partial_file(tmp_path):
    output = tmp_path / "clip.mp4"
    with pytest.raises(RuntimeError):
        with VideoWriter(output, width=160, height=120, fps=24) as writer:
            writer.write(photo_like())
            raise RuntimeError("renderer failed")
    assert list(tmp_path.iterdir()) == []


class FullDisk:
    """An output container whose writes fail with ENOSPC after the first ``room`` muxes."""

    def __init__(self, container, room: int) -> None:
        self._container, self._room = container, room

    def __getattr__(self, name):
        return getattr(self._container, name)

    def mux(self, packets):
        self._room -= 1
        if self._room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._container.mux(packets)


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_disk_full_becomes_storage_full_and_leaves_nothing(tmp_path, monkeypatch, format_name):
    real_open = av.open
    monkeypatch.setattr(av, "open", lambda *args, **kwargs: FullDisk(real_open(*args, **kwargs), 3))
    encoder = encoder_for(format_name, 160, 120)
    with pytest.raises(StorageFullError, match="disk is full"):
        with VideoWriter(tmp_path / "clip", width=160, height=120, fps=24, encoder=encoder) as writer:
            for frame in frames_for(encoder, 10):
                writer.write_frame(frame)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_paint_error(tmp_path):
    with pytest.raises(PaintError):
        with VideoWriter(tmp_path / "missing" / "clip.mp4", width=160, height=120, fps=24) as writer:
            writer.write(photo_like())


def test_keyframe_sharpens_a_still_ending(tmp_path):
    frames = [photo_like(index) for index in range(20)] + [photo_like(99)] * 12
    results = {}
    for keyed in (False, True):
        output = tmp_path / f"keyed-{keyed}.mp4"
        with VideoWriter(output, width=160, height=120, fps=12) as writer:
            for index, frame in enumerate(frames):
                writer.write(frame, keyframe=keyed and index == 20)
        with av.open(str(output)) as container:
            key_flags = [frame.key_frame for frame in container.decode(video=0)]
        results[keyed] = (key_flags, psnr(decode_frames(output)[-1], frames[-1]))
    assert results[True][0][20] and not results[False][0][20]
    assert results[True][1] >= results[False][1]


def test_a_forced_keyframe_is_one_in_webm_too(tmp_path):
    output = tmp_path / "clip.webm"
    with VideoWriter(output, width=160, height=120, fps=12, encoder=vp9(160, 120)) as writer:
        for index in range(30):
            writer.write(photo_like(index // 10), keyframe=index == 17)
    with av.open(str(output)) as container:
        key_flags = [packet.is_keyframe for packet in container.demux(video=0) if packet.size]
    assert len(key_flags) == 30 and key_flags[17] and not any(key_flags[1:17])
