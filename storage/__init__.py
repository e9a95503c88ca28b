"""Persistence: one SQLite file through aiosqlite, numbered migrations, one module per table group."""

from storage.db import Database

__all__ = ["Database"]
