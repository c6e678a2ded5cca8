"""The layer contract (pyproject.toml, [tool.importlinter]) holds, and `make lint` would refuse an upward import."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree):
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree, env={"PYTHONPATH": f"{tree / 'platform'}:{tree}", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def source_copy(tmp_path):
    """The project's Python sources and pyproject.toml, copied: a change to them touches nothing real."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "static", "templates", "data", "vendor")
    for part in ("platform", "tenants", "themes"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_are_kept(source_copy):
    result = _lint(source_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "upward"), [
    ("tenants/models/registry.py", "import columns.models"),  # the registry reaching into content
    ("platform/columns/models.py", "from search import index"),  # content reaching into a service above it
    ("platform/monitoring/health.py", "from syndication import sync"),  # siblings of one layer
    ("platform/reports/figures.py", "from console import access"),  # anything reaching into the console
])
def test_an_upward_import_fails_the_lint(source_copy, module, upward):
    path = source_copy / module
    path.write_text(path.read_text() + f"\n\ndef _late():\n    {upward}  # noqa\n")
    result = _lint(source_copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "Contracts: 0 kept, 1 broken" in result.stdout
