"""platform/ holds the project but must never shadow Python's stdlib `platform` module."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_stdlib_platform_in_the_test_process():
    import platform

    assert platform.python_implementation() == "CPython"
    assert Path(platform.__file__).parent != ROOT / "platform"
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_stdlib_platform_in_the_django_process():
    """manage.py puts platform/ on sys.path; `import platform` must still be the stdlib."""
    code = "import platform, django; print(platform.python_implementation(), platform.__file__)"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    implementation, path = out.strip().splitlines()[-1].split(" ", 1)
    assert implementation == "CPython"
    assert "platform/platform" not in path
