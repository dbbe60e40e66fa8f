import dataclasses

import pytest

from terminal.scanner.config import ScannerConfig


def test_defaults_match_the_issue():
    config = ScannerConfig()
    assert config.decoder == "auto" and config.fallback
    assert config.repeat_window_s == 2.0 and config.confirm_reads == 2
    assert config.camera == "auto"
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.decoder = "zbar"


@pytest.mark.parametrize("changes,words", [
    ({"decoder": "quagga"}, "decoder must be one of"),
    ({"confirm_reads": 0}, "at least once"),
    ({"repeat_window_s": 0}, "repeat_window_s"),
    ({"camera": " "}, "Choose a camera"),
    ({"frame_width": 0}, "picture size"),
])
def test_bad_settings_are_refused_in_words(changes, words):
    with pytest.raises(ValueError) as info:
        ScannerConfig(**changes)
    assert words in str(info.value)
