import cv2
import numpy as np
import pytest

from terminal.scanner.demo_source import DemoSource
from terminal.scanner.sources import (
    CameraError,
    CameraOrDemoSource,
    CameraSource,
    Pacer,
    VideoFileSource,
    camera_or_demo,
    open_source,
)

from .fakes import FakeWebcam

FRAME = np.full((72, 128, 3), 90, np.uint8)


@pytest.mark.parametrize("spec,kind,device", [
    ("0", CameraSource, 0), (2, CameraSource, 2), ("/dev/video3", CameraSource, "/dev/video3"),
])
def test_open_source_names_webcams(spec, kind, device):
    source = open_source(spec)
    assert isinstance(source, kind) and source.device == device


def test_open_source_demo_auto_and_files(tmp_path):
    assert isinstance(open_source("demo"), DemoSource)
    assert isinstance(open_source("auto"), CameraOrDemoSource)
    video = open_source(str(tmp_path / "clip.avi"))
    assert isinstance(video, VideoFileSource) and video.description == "video clip.avi"


def test_missing_camera_is_a_plain_message():
    webcam = FakeWebcam([FRAME], plugged=False)
    source = CameraSource(0, capture_factory=webcam.capture)
    with pytest.raises(CameraError) as info:
        source.open()
    assert "No camera answered at camera 0" in info.value.message
    assert "plugged in" in info.value.message


def test_busy_camera_is_a_plain_message_and_released():
    webcam = FakeWebcam([FRAME], busy=True, frame_interval_s=0)
    source = CameraSource(1, capture_factory=webcam.capture)
    with pytest.raises(CameraError) as info:
        source.open()
    assert "other programs" in info.value.message
    assert webcam.released == 1


def test_unplugged_camera_raises_and_can_reopen():
    webcam = FakeWebcam([FRAME], frame_interval_s=0)
    source = CameraSource(0, size=(1280, 720), capture_factory=webcam.capture)
    source.open()
    assert source.read().shape == FRAME.shape
    webcam.plugged = False
    with pytest.raises(CameraError) as info:
        source.read()
    assert "stopped" in info.value.message
    webcam.plugged = True
    source.open()
    assert source.read() is not None
    source.close()
    source.close()  # twice is fine
    assert webcam.released == webcam.opens


def test_camera_requests_720p_and_a_short_buffer():
    webcam = FakeWebcam([FRAME], frame_interval_s=0)
    captures = []
    def factory(device):
        captures.append(webcam.capture(device))
        return captures[-1]

    source = CameraSource(0, size=(1280, 720), capture_factory=factory)
    source.open()
    settings = captures[0].settings
    assert settings[cv2.CAP_PROP_FRAME_WIDTH] == 1280 and settings[cv2.CAP_PROP_FRAME_HEIGHT] == 720
    assert settings[cv2.CAP_PROP_BUFFERSIZE] == 1
    source.close()


def test_camera_or_demo_falls_back_when_no_webcam_answers():
    webcam = FakeWebcam([FRAME], plugged=False)
    source = CameraOrDemoSource(CameraSource(0, capture_factory=webcam.capture), DemoSource(realtime=False))
    source.open()
    assert source.fell_back and "demo camera" in source.description
    assert source.read().shape == (720, 1280, 3)
    source.close()


def test_camera_or_demo_uses_the_webcam_when_it_answers():
    webcam = FakeWebcam([FRAME], frame_interval_s=0)
    source = CameraOrDemoSource(CameraSource(0, capture_factory=webcam.capture), DemoSource(realtime=False))
    source.open()
    assert not source.fell_back and source.read().shape == FRAME.shape
    source.close()


def test_camera_or_demo_helper_builds_both():
    source = camera_or_demo(0)
    assert isinstance(source.camera, CameraSource) and isinstance(source.demo, DemoSource)


def test_video_file_plays_and_loops(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (128, 72))
    if not writer.isOpened():
        pytest.skip("this OpenCV build cannot write MJPG files")
    for shade in (40, 120, 200):
        writer.write(np.full((72, 128, 3), shade, np.uint8))
    writer.release()
    source = VideoFileSource(path, realtime=False)
    source.open()
    shades = [int(source.read().mean()) for _ in range(5)]
    source.close()
    assert shades[3] == shades[0] and shades[0] < shades[1] < shades[2]


def test_missing_video_file_is_a_plain_message(tmp_path):
    with pytest.raises(CameraError) as info:
        VideoFileSource(tmp_path / "nope.mp4").open()
    assert "does not exist" in info.value.message


def test_pacer_spaces_frames():
    slept = []
    pacer = Pacer(10, sleep=slept.append)
    pacer.wait()
    pacer.wait()
    assert slept and 0 < slept[0] <= 0.1
