"""The painterly style end to end through ``paint_image``: final PSNR on the shared photos,
the photo finish, byte-identical videos, failures leaving no file (every input kind in this
style is the system test tests/system/test_input_kinds.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms import PaintError, paint_image
from tests.helpers.images import write
from tests.helpers.paths import PHOTOS
from tests.helpers.videos import decode_frames, psnr

SMALL = {"style": "painterly", "duration": 2.0, "fps": 12, "max_size": 256}


def test_final_psnr_on_the_shared_photos_is_in_range(photos, tmp_path):
    scores = {}
    for name in photos:
        output = tmp_path / f"{name}.mp4"
        paint_image(PHOTOS / f"{name}.png", output, seed=3, **SMALL)
        scores[name] = psnr(decode_frames(output)[-1], photos[name])
    assert np.mean(list(scores.values())) >= 24.0, scores
    assert max(scores.values()) < 32.0, scores


def test_the_photo_finish_ends_on_the_picture(photos, tmp_path):
    for name in photos:
        output = tmp_path / f"{name}.mp4"
        paint_image(PHOTOS / f"{name}.png", output, seed=3, finish="photo", **SMALL)
        assert psnr(decode_frames(output)[-1], photos[name]) >= 33.0


def test_same_seed_gives_the_same_bytes(shapes, tmp_path):
    source = write(tmp_path / "shapes.png", shapes)
    videos = [tmp_path / f"{index}.mp4" for index in range(3)]
    for video, seed in zip(videos, (11, 11, 12)):
        paint_image(source, video, seed=seed, **SMALL)
    assert videos[0].read_bytes() == videos[1].read_bytes()
    assert videos[0].read_bytes() != videos[2].read_bytes()


def test_a_failure_while_painting_leaves_no_file(shapes, tmp_path, monkeypatch):
    import algorithms.styles.painterly.painter as painter

    laid = []
    real_lay_strokes = painter.lay_strokes

    def failing_lay_strokes(*args, **kwargs):
        laid.append(1)
        if len(laid) == 20:  # while frames are being encoded
            raise cv2.error("simulated OpenCV failure")
        return real_lay_strokes(*args, **kwargs)

    monkeypatch.setattr(painter, "lay_strokes", failing_lay_strokes)
    source = write(tmp_path / "shapes.png", shapes)
    output = tmp_path / "out" / "video.mp4"
    output.parent.mkdir()
    with pytest.raises(PaintError):
        paint_image(source, output, **SMALL)
    assert len(laid) == 20
    assert list(output.parent.iterdir()) == []
