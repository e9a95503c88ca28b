"""The one SQLite file: opened in WAL mode, migrated to the newest schema on open. `Database.open` given a
`postgresql://` URL opens the PostgreSQL store instead (storage/pg.py), with the same interface.

Every write goes through one transaction scope, `Database.transaction()`: the functions in storage/ take
the `Transaction` and never commit; the scope commits everything in it at its end, or rolls all of it back
when an exception or a cancellation leaves it (see docs/storage.md).
"""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import aiosqlite

from storage.pg import COMPAT, MIGRATION_LOCK, PgConnection, migration_to_postgres

DEFAULT_PATH = Path("data/diplowatch.db")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[\w-]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in storage/migrations, in order."""
    found = []
    for entry in resources.files("storage").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {[n for _, n, _ in found]}")
    return found


# A migration a file may get after a newer one: its number was taken before it was merged, while the
# newer one had already shipped. (late, newer) -> SQL run before and after the late one, in its
# transaction, when the file has the newer one already, so that what the newer one made survives.
# 0006_guilds rebuilds `watched` from a list of columns without 0007_timezone's tz: a file that got 0007
# first (schema 1-5 and 7) keeps each account's zone.
_LATE: dict[tuple[int, int], tuple[str, str]] = {
    (6, 7): (
        "CREATE TEMP TABLE late_tz AS SELECT platform, handle, tz FROM watched WHERE tz IS NOT NULL;",
        "ALTER TABLE watched ADD COLUMN tz TEXT;\n"
        "UPDATE watched SET tz = (SELECT t.tz FROM temp.late_tz t"
        " WHERE t.platform = watched.platform AND t.handle = watched.handle);\n"
        "DROP TABLE temp.late_tz;",
    ),
}


class Transaction:
    """One open write transaction: what storage's write functions take. `on_rollback` callbacks put back
    in-memory state that mirrors the rows written (the profiles' learning) when the rows are rolled back."""

    def __init__(self, db: "Database"):
        self.db = db
        self.conn = db.conn
        self.active = True
        self.notes: dict[Any, Any] = {}  # what a caller keeps once per transaction
        self._undo: list[Callable[[], None]] = []

    def on_rollback(self, undo: Callable[[], None]) -> None:
        self._undo.append(undo)

    def _rolled_back(self) -> None:
        self.active = False
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


def writing(tx: Any) -> aiosqlite.Connection:
    """The connection of an open transaction; a storage write outside one is a programming error."""
    if not isinstance(tx, Transaction) or not tx.active:
        raise TypeError("storage writes take an open Transaction: `async with db.transaction() as tx:`")
    return tx.conn


async def _to_the_end(operation: Awaitable[Any]) -> Any:
    """Await an operation already handed to SQLite's thread until it is done, even when cancelled
    meanwhile (it runs to its end there anyway); the cancellation is raised afterwards."""
    task = asyncio.ensure_future(operation)
    cancelled: asyncio.CancelledError | None = None
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError as exc:
            if task.done() and task.cancelled():
                raise
            cancelled = exc
    if cancelled is not None:
        if not task.cancelled():
            task.exception()  # retrieved: the caller learns the outcome from the connection's state
        raise cancelled
    return task.result()


async def _worker_gone(conn: aiosqlite.Connection) -> None:
    """Wait until the worker thread of a connection that failed to open (aiosqlite stops it then) has
    ended: it hands its last result to this event loop, and after `asyncio.run` has closed the loop that
    raised "Event loop is closed" in the thread, or left the thread running and the process with it."""
    thread = getattr(conn, "_thread", None)
    if thread is not None and thread.is_alive():
        await asyncio.to_thread(thread.join, 10)


def is_postgres(target: object) -> bool:
    """A `postgresql://` (or `postgres://`) URL: the PostgreSQL store; anything else is a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def target(value: str | Path) -> str | Path:
    """What `--db` or DIPLOWATCH_DATABASE names: a PostgreSQL URL as it is, else the SQLite file's path."""
    return value if is_postgres(value) else Path(value)


def errors() -> tuple[type[BaseException], ...]:
    """What opening or using either store raises when the database, not the program, is at fault."""
    import sqlite3
    import sys

    found: tuple[type[BaseException], ...] = (OSError, sqlite3.Error, BadDatabaseURL)
    asyncpg = sys.modules.get("asyncpg")  # loaded only when a PostgreSQL URL was opened
    if asyncpg is not None:
        found += (asyncpg.PostgresError, asyncpg.InterfaceError)
    return found


class BadDatabaseURL(ValueError):
    """A PostgreSQL URL that cannot be parsed (its text is left out: it may hold the password)."""


_SECRET_PARAM = re.compile(r"([?&;][^=&#;]*password=)[^&#;]*", re.IGNORECASE)


def shown(value: str | Path) -> str:
    """A database as messages name it: a URL without its password (a secret, never in a log), whether in
    the userinfo (`user:secret@host`, even with an unencoded / ? # or @ in it) or in a `password=` query
    parameter. Never raises: any URL at all is named."""
    text = str(value)
    scheme, sep, rest = text.partition("://")
    if not sep:
        return text  # a SQLite file's path
    try:
        # The authority ends at the first / ? or # (RFC 3986), its userinfo at the last @ in it; a password
        # typed with an unencoded / ? or # puts its @ further on, so any later @ after `user:` ends it too.
        end = urlsplit("//" + rest).netloc
        at = end.rfind("@")
        if at < 0:
            at = rest.rfind("@")
            user = rest[: max(at, 0)].partition(":")[0]
            if at < 0 or any(c in user for c in "/?#"):
                at = -1
        if at >= 0:
            user, colon, _ = rest[:at].partition(":")
            rest = f"{user}:***{rest[at:]}" if colon else rest
        return f"{scheme}://" + _SECRET_PARAM.sub(r"\1***", rest)
    except Exception:  # noqa: BLE001 (a message must never fail for the URL it names)
        return f"{scheme}://***"


class Database:
    """Wraps one aiosqlite connection; `conn` is open for the modules in storage/ to read with, and
    `transaction()` is the one way to write."""

    backend = "sqlite"
    BEGIN = "BEGIN IMMEDIATE"  # SQLite: take the write lock now, not at the first write

    def __init__(self, conn: Any, path: Path | str):
        self.conn = conn
        self.path = path
        self.write_lock = asyncio.Lock()  # one writer at a time: SQLite has one, and a scope is all or nothing
        self.writing = False  # a transaction is open (committed() reads hold the lock only for a moment)

    @asynccontextmanager
    async def committed(self) -> AsyncIterator[None]:
        """For a read whose rows are acted on outside the database (an alert posted, printed): the one
        connection would also show the rows of a transaction still open, which may yet roll back, so
        such a read waits until no transaction is open."""
        async with self.write_lock:
            yield

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """All or nothing: what the block writes commits at its end, or none of it does when an exception
        or a cancellation leaves the block (or the commit itself fails). Scopes take turns (write_lock)."""
        async with self.write_lock:
            if self.conn.in_transaction:  # a scope whose rollback never ran (its task was killed): undo it
                await _to_the_end(self.conn.rollback())
            await self.conn.execute(self.BEGIN)
            tx = Transaction(self)
            committed = False
            self.writing = True
            try:
                yield tx
                commit = asyncio.ensure_future(self.conn.commit())
                try:
                    await _to_the_end(commit)
                finally:
                    # A commit SQLite completed stands, even when a cancellation came while we waited for it.
                    committed = commit.done() and not commit.cancelled() and commit.exception() is None
            finally:
                tx.active = False
                self.writing = False
                if not committed:
                    try:
                        if self.conn.in_transaction:
                            await _to_the_end(self.conn.rollback())
                    finally:
                        tx._rolled_back()

    @classmethod
    async def open(cls, path: str | Path = DEFAULT_PATH) -> "Database":
        """The SQLite file at `path`, or the PostgreSQL database a `postgresql://` URL names."""
        if is_postgres(path):
            return await PgDatabase.open(path)
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = aiosqlite.connect(path)
        try:
            await conn
        except BaseException:
            await _worker_gone(conn)
            raise
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses at most the last commit
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            db = cls(conn, path)
            await db.migrate()
        except BaseException:
            # Not a database, unreadable, a failed migration: the connection's worker thread (not a daemon)
            # would keep the process alive after the error was told, so it is closed before re-raising.
            try:
                await conn.close()
            except BaseException:  # noqa: BLE001 (the first error is the one to tell)
                await _worker_gone(conn)
            raise
        return db

    async def migrate(self) -> int:
        """Apply every migration the file has not had, in order of their numbers (see _LATE for one
        that may come after a newer one); the newest version."""
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        async with self.conn.execute("SELECT version FROM schema_version") as cur:
            applied = {row[0] for row in await cur.fetchall()}
        for version, name, sql in migrations():
            if version in applied:
                continue
            before, after = "", ""
            for (late, newer), (keep, put_back) in _LATE.items():
                if late == version and newer in applied:
                    before, after = keep, put_back
            # executescript commits first; each migration then runs in its own transaction.
            await self.conn.executescript(
                f"BEGIN;\n{before}\n{sql}\n{after}\n"
                f"INSERT INTO schema_version (version, name) VALUES ({version}, '{name}');\nCOMMIT;"
            )
            applied.add(version)
        return max(applied, default=0)

    async def version(self) -> int:
        async with self.conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version") as cur:
            return (await cur.fetchone() or (0,))[0]  # an aggregate: always one row

    async def close(self) -> None:
        await self.conn.close()

    async def __aenter__(self) -> "Database":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()


class PgDatabase(Database):
    """The PostgreSQL store: `Database`'s interface on one asyncpg connection."""

    def __init__(self, conn: Any, url: str):
        super().__init__(conn, url)
        self.url = url

    backend = "postgresql"
    BEGIN = "BEGIN"  # the same transaction scope (Database.transaction); row locks do the rest

    @classmethod
    async def open(cls, path: Any = None) -> "PgDatabase":
        import asyncpg  # only a PostgreSQL user needs it loaded

        url = str(path)
        try:
            raw = await asyncpg.connect(url, server_settings={"application_name": "diplowatch"})
        except ValueError as exc:  # asyncpg's own parse of the URL; its message may quote the password
            raise BadDatabaseURL(
                "not a valid PostgreSQL URL (in the user name or password, write / as %2F, @ as %40, "
                ": as %3A, ? as %3F and # as %23)"
            ) from exc
        db = cls(PgConnection(raw), url)
        try:
            await db.migrate()
        except BaseException:
            await raw.close()
            raise
        return db

    def __repr__(self) -> str:
        return f"PgDatabase({shown(self.url)})"

    async def migrate(self) -> int:
        """Every migration the database has not had, in order, each in its own transaction; processes
        starting together take turns (an advisory lock)."""
        await self.conn.script("SELECT pg_advisory_lock(%d)" % MIGRATION_LOCK)
        try:
            await self.conn.script(COMPAT)
            async with self.conn.execute("SELECT version FROM schema_version") as cur:
                applied = {row[0] for row in await cur.fetchall()}
            for version, name, sql in migrations():
                if version in applied:
                    continue
                try:
                    await self.conn.script(
                        f"BEGIN;\n{migration_to_postgres(sql)}\n"
                        f"INSERT INTO schema_version (version, name) VALUES ({version}, '{name}');\nCOMMIT;"
                    )
                except BaseException:
                    await _to_the_end(self.conn.rollback())
                    raise
                applied.add(version)
        finally:
            await self.conn.script("SELECT pg_advisory_unlock(%d)" % MIGRATION_LOCK)
        return max(applied, default=0)

    async def close(self) -> None:
        await self.conn.close()
