"""Tests of the H.264 writer: atomic output, keyframes, disk-full errors."""

from __future__ import annotations

import errno

import av
import cv2
import numpy as np
import pytest

from algorithms import PaintError, StorageFullError
from algorithms.encoding.writer import PART_MARKER, VideoWriter
from tests.helpers.videos import decode_frames, psnr, stream_facts, top_level_boxes


def photo_like(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (12, 16, 3), np.uint8)
    return cv2.resize(small, (160, 120), interpolation=cv2.INTER_CUBIC)


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


def test_disk_full_becomes_storage_full_and_leaves_nothing(tmp_path, monkeypatch):
    real_open = av.open
    monkeypatch.setattr(av, "open", lambda *args, **kwargs: FullDisk(real_open(*args, **kwargs), 3))
    with pytest.raises(StorageFullError, match="disk is full"):
        with VideoWriter(tmp_path / "clip.mp4", width=160, height=120, fps=24) as writer:
            for index in range(10):
                writer.write(photo_like(index))
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
