"""What a non-editable install (the Docker image, a wheel) ships: every package of the project."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_of_the_project_is_shipped():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    include = config["packages"]["find"]["include"]
    packages = sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("bot", "cogs", "storage")
        for init in (ROOT / top).rglob("__init__.py")
    )
    assert "bot.profile.signals" in packages
    missing = [p for p in packages if not any(fnmatch(p, pattern) for pattern in include)]
    assert missing == []
    # and nothing that is not the project's: tests, benchmarks and fixtures stay out of the wheel
    assert not any(fnmatch(name, pattern) for name in ("tests", "benchmarks", "fixtures") for pattern in include)
