"""The project folder platform/ must never shadow the standard library's platform module."""

import subprocess
import sys
import sysconfig
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_stdlib_platform_and_uuid_in_test_process() -> None:
    import platform
    import uuid

    assert Path(platform.__file__).parent == Path(sysconfig.get_paths()["stdlib"])
    assert platform.python_version() == ".".join(map(str, sys.version_info[:3]))
    assert uuid.uuid4().version == 4


def test_stdlib_platform_in_manage_py_shell() -> None:
    code = (
        "import platform, uuid, sysconfig, pathlib; "
        "assert pathlib.Path(platform.__file__).parent == pathlib.Path(sysconfig.get_paths()['stdlib']); "
        "print(platform.python_version(), uuid.uuid4().version)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [".".join(map(str, sys.version_info[:3])), "4"]


def test_no_package_named_platform_in_the_project() -> None:
    assert not (PROJECT_ROOT / "platform" / "__init__.py").exists()
    import amtsplatz

    assert Path(amtsplatz.__file__).parent == PROJECT_ROOT / "platform" / "amtsplatz"
