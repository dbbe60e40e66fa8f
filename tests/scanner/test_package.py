import subprocess
import sys

import terminal.scanner as scanner


def test_public_names_resolve():
    for name in scanner.__all__:
        assert getattr(scanner, name) is not None


def test_decoders_payload_and_pipeline_import_without_qt():
    code = (
        "import sys; import terminal.scanner.pipeline, terminal.scanner.payload, terminal.scanner.wedge; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
