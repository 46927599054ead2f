"""One line for an operator instead of a traceback: what is wrong with the set-up, and how to fix it.

The `babelpress` command (babelpress/cli.py) sends every exception through ``explain``. Set-up
problems (a setting Django refuses, a database that cannot be reached or has no tables yet) become
one sentence; anything else returns None and keeps its traceback, because it is a bug to report.
"""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured


def explain(exc: BaseException) -> str | None:
    if isinstance(exc, ImproperlyConfigured):
        return str(exc)
    from django.db import utils

    if isinstance(exc, (utils.OperationalError, utils.InterfaceError, utils.ProgrammingError)):
        return explain_database_error(exc)
    return None


def _database() -> dict:
    from django.conf import settings

    return settings.DATABASES["default"]


def _where(db: dict) -> str:
    return f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def explain_database_error(exc: BaseException) -> str | None:
    from django.db import connection

    db = _database()
    text = _one_line(exc)
    if re.search(r"no such table|relation \"[^\"]+\" does not exist", text):
        return (
            f"The database has no Babelpress tables yet, or not all of them ({text}): "
            "run `babelpress migrate`."
        )
    if db["ENGINE"].endswith("sqlite3"):
        if "unable to open database file" in text:
            return (
                f"Cannot open the SQLite database {db['NAME']}: check that its folder exists and that this "
                "account may write to it (BABELPRESS_DATA_DIR), or set DATABASE_URL."
            )
        return None
    if connection.connection is not None:
        return None  # connected: an error in a query is a bug, not a set-up problem
    return explain_connection_failure(db, text)


def explain_connection_failure(db: dict, text: str) -> str:
    name, user, where = db.get("NAME"), db.get("USER"), _where(db)
    if re.search(r'database "[^"]+" does not exist', text):
        return (
            f"The database {name!r} does not exist on the server at {where}: create it "
            f"(`createdb -h {db.get('HOST') or 'localhost'} -p {db.get('PORT') or 5432} -U {user} {name}`) "
            "or fix the name in DATABASE_URL."
        )
    if re.search(r'role "[^"]+" does not exist', text):
        return (
            f"The database user {user!r} does not exist on the server at {where}: create it "
            "(`createuser`) or fix the user in DATABASE_URL (postgres://USER:PASSWORD@HOST:PORT/NAME)."
        )
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f"The server at {where} refused the password of database user {user!r}: fix the password in "
            "DATABASE_URL (postgres://USER:PASSWORD@HOST:PORT/NAME)."
        )
    if re.search(r"Connection refused|could not translate host name|timeout expired|No route to host|"
                 r"Name or service not known|Network is unreachable", text):
        reason = re.sub(r"^.*failed: ", "", text).split(" Is the server running")[0]
        return (
            f"Cannot reach the database server at {where} ({reason}): start PostgreSQL there, or fix the "
            "host and port in DATABASE_URL."
        )
    return f"Cannot connect to the database at {where} ({text}): check DATABASE_URL."
