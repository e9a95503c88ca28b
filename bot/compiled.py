"""The detector compiled with mypyc (`make compiled`), used only while its build matches the sources.

The pure Python modules stay the reference: every test runs them, and the compiled ones must give the
same verdicts byte for byte (tests/bot/test_compiled.py). Compiled, `bot/profile` scores and learns
about a quarter faster (docs/detection.md, "Compiled with mypyc").

Why a folder of its own, checked by hash: mypyc's usual build puts each compiled module beside its
source, where Python prefers it and every later edit of the source would silently not run. Here the
build lives in `build/mypyc` with the hash of every source it was made from; a build that no longer
matches is set aside with a warning until `make compiled` runs again.

    python -m bot.compiled [FOLDER]   build it (needs the dev requirements and a C compiler)
    DIPLOWATCH_COMPILED=0             run the pure Python modules even with a fresh build
    DIPLOWATCH_COMPILED=FOLDER        use the build in FOLDER instead of build/mypyc
"""

from __future__ import annotations

import copyreg
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "mypyc"
MANIFEST = "manifest.json"
SWITCH = "DIPLOWATCH_COMPILED"
# The detector's modules: the hot path of scoring, learning and observing. The package __init__ files
# stay Python: the loader is installed from bot/profile/__init__.py before any of these is imported.
PACKAGES = ("bot/profile", "bot/profile/signals")

_active = False


def sources(root: Path = ROOT) -> list[Path]:
    return sorted(p for d in PACKAGES for p in (root / d).glob("*.py") if p.name != "__init__.py")


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tag() -> str:
    """The interpreter a build is for: a build for another Python cannot be loaded."""
    return f"{sys.implementation.cache_tag} {importlib.machinery.EXTENSION_SUFFIXES[0]}"


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled module for each name the build holds, ahead of the sources."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        found = self.files.get(fullname)
        return importlib.util.spec_from_file_location(fullname, found) if found else None


def stale(build: Path = BUILD, root: Path = ROOT) -> str | None:
    """Why the build cannot be used (None when it can)."""
    return _checked(build, root)[0]


def _checked(build: Path, root: Path) -> tuple[str | None, dict[str, Any]]:
    """Why the build cannot be used (None when it can), and its manifest (read once)."""
    try:
        manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "not built", {}
    except (OSError, ValueError) as exc:
        return f"its {MANIFEST} is unreadable ({exc})", {}
    if manifest.get("python") != _tag():
        return f"built for {manifest.get('python')}, this is {_tag()}", manifest
    now = {p.relative_to(root).as_posix(): p for p in sources(root)}
    built: dict[str, str] = manifest.get("sources") or {}
    for name in sorted(now.keys() | built.keys()):
        if name not in built:
            return f"{name} is new since the build", manifest
        if name not in now:
            return f"{name} is gone since the build", manifest
        if _hash(now[name]) != built[name]:
            return f"{name} changed since the build", manifest
    return None, manifest


def install(build: Path = BUILD, root: Path = ROOT) -> bool:
    """Load the detector's modules from a build that matches the sources; True when it does. Called once,
    before the first of them is imported."""
    global _active
    if _active:
        return True
    chosen = os.environ.get(SWITCH, "")
    if chosen == "0":
        return False
    if chosen:
        build = Path(chosen)
    elif not (build / MANIFEST).exists():
        return False  # never built: the pure Python modules, quietly
    why, manifest = _checked(build, root)
    if why:
        log.warning("the compiled detector in %s is not used: %s (make compiled rebuilds it)", build, why)
        return False
    files = {name: build / rel for name, rel in manifest["modules"].items()}
    sys.meta_path.insert(0, _Finder(files))
    _active = True
    return True


def register_pickling() -> None:
    """Teach pickle the compiled classes a profile snapshot holds (ProfileBook.snapshot). A compiled class
    has no __dict__ and its own __new__ runs __init__, so pickle's default for it fails; each is rebuilt
    here from throwaway constructor arguments, then given its attributes back (mypyc's __setstate__).
    Restores are rare (a poll that did not commit), so the wasted construction costs nothing that matters."""
    from .profile.account import AccountProfile
    from .profile.counts import Bins, Clock, Counter, Moments
    from .profile.signals import SIGNALS

    def attributes(obj: Any, blank: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
        names = [n for n in type(obj).__mypyc_attrs__ if n != "__dict__" and hasattr(obj, n)]
        return (type(obj), blank(), {n: getattr(obj, n) for n in names})  # through its own __setstate__

    blanks: dict[type, Callable[[], tuple[Any, ...]]] = {
        Clock: lambda: (),
        Counter: lambda: (Clock(), 0),
        Bins: lambda: (Clock(), 0),
        Moments: lambda: (Clock(),),
    }
    blanks.update({signal: lambda: (Clock(),) for signal in SIGNALS})
    for cls, blank in blanks.items():
        copyreg.pickle(cls, partial(attributes, blank=blank))
    # a profile keeps its own state list and rebuilds its signal indexes in __setstate__
    copyreg.pickle(AccountProfile, lambda p: (AccountProfile, (p.platform, p.handle), p.__getstate__()))


def describe(build: Path = BUILD, root: Path = ROOT) -> str:
    """Which detector a command started now runs, and why (the benchmarks print it)."""
    chosen = os.environ.get(SWITCH, "")
    if chosen == "0":
        return f"pure Python ({SWITCH}=0)"
    where = Path(chosen) if chosen else build
    why = stale(where, root)
    return f"pure Python (compiled one {why})" if why else f"compiled with mypyc ({where})"


def active() -> bool:
    """Whether this process runs the compiled detector (bot/profile/__init__.py asks, to register pickling)."""
    return _active


def build(out: Path = BUILD, root: Path = ROOT) -> list[str]:
    """Compile the detector into `out`, with the manifest that lets install() trust it; the names of the
    compiled modules."""
    from mypyc.build import mypycify  # the dev requirements' mypy: only the build needs it
    from setuptools import Distribution  # type: ignore[import-untyped]

    files = sources(root)
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "lib"
        here = Path.cwd()
        os.chdir(root)  # mypyc names each module by its path from the project's root
        try:
            extensions = mypycify([p.relative_to(root).as_posix() for p in files], opt_level="3", target_dir=f"{tmp}/c")
            dist = Distribution({"name": "diplowatch-compiled", "ext_modules": extensions})
            command = dist.get_command_obj("build_ext")
            command.build_lib = str(staging)
            command.build_temp = f"{tmp}/o"
            dist.run_command("build_ext")
        finally:
            os.chdir(here)
        modules: dict[str, str] = {}
        for so in staging.rglob("*" + importlib.machinery.EXTENSION_SUFFIXES[0]):
            rel = so.relative_to(staging)
            name = ".".join(rel.parts[:-1] + (so.name.split(".", 1)[0],))
            modules[name] = rel.as_posix()
        manifest = {
            "python": _tag(),
            "sources": {p.relative_to(root).as_posix(): _hash(p) for p in files},
            "modules": modules,
        }
        # the old build goes manifest first, and the new manifest comes last: a process starting meanwhile
        # finds no build (and runs pure Python), never a manifest beside half its modules
        (out / MANIFEST).unlink(missing_ok=True)
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), str(out))
        (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return sorted(modules)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else BUILD
    names = build(out.resolve())
    compiled = [n for n in names if n.startswith("bot.")]
    print(f"compiled {len(compiled)} detector modules with mypyc into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
