"""Hot queries of the public pages, built and compiled by the ORM once per thread, not per request.

Django turns a queryset into SQL on every evaluation: cloning it for each ``filter()``, resolving
lookups and joins, compiling. For the queries of a public page that costs 200–600 µs each, ten
times what SQLite takes to run them, and it was most of the time a rendered page took. A
``PreparedQuery`` asks the ORM for the SQL once — the queryset built with sentinel values in place
of its parameters — remembers where each sentinel landed among the SQL's parameters, and from
then on runs that SQL with the request's values and converts the rows with the ORM's own
converters (aware datetimes, UUIDs, booleans …). The SQL is the ORM's, so it is right for every
database Django supports; only the parameters change. Each thread compiles its own (a database
connection belongs to one thread). The queries run through Django's cursor, so they are counted,
logged and wrapped like any other (``assertNumQueries`` sees them).

Parameters are values compared with ``=``/``<``/``>`` or ``IN`` (a string, an integer, a datetime, a
UUID): the ORM passes those to the database as they are, after the adaptation the field's type
asks for (done here too, ``_ADAPT``). The ORM writes a slice's LIMIT and OFFSET into the SQL itself:
``limited(limit, offset)`` appends them to an unsliced query's SQL as the database's operations
write them (``connection.ops.limit_offset_sql``), so one prepared listing serves every page.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone
from typing import Callable

from django.conf import settings
from django.db import connections
from django.utils.dateparse import parse_datetime

# Sentinels: values no real query uses, each in range for its field (Django 5 turns an integer out
# of a field's range into an empty result instead of a parameter).
_SENTINELS = {
    str: lambda i: f"\x1ebabelpress-parameter-{i}\x1f",
    int: lambda i: 2_147_000_000 + i,
    datetime: lambda i: datetime(1901, 2, 3, 4, 5, 6, 700 + i, tzinfo=timezone.utc),
    uuid.UUID: lambda i: uuid.UUID(int=0xB0BE1A5_0000 + i),
}
_ADAPT = {
    str: lambda value, connection: value,
    int: lambda value, connection: value,
    datetime: lambda value, connection: connection.ops.adapt_datetimefield_value(value),
    uuid.UUID: lambda value, connection: value if connection.features.has_native_uuid_field else value.hex,
}


class _Compiled:
    """One compiled query on one connection: its SQL, where each parameter goes, the converters."""

    def __init__(self, queryset, sentinels: dict, kinds: dict, connection):
        compiler = queryset.query.get_compiler(connection=connection)
        self.vendor = connection.vendor
        self.sql, params = compiler.as_sql()
        adapted = {name: _ADAPT[kinds[name]](value, connection) for name, value in sentinels.items()}
        self.slots = []  # (position, parameter name) for each parameter that is one of ours
        self.constants = list(params)
        for position, value in enumerate(params):
            for name, sentinel in adapted.items():
                if type(value) is type(sentinel) and value == sentinel:
                    self.slots.append((position, name))
        missing = set(kinds) - {name for _, name in self.slots}
        if missing:
            raise ValueError(f"Parameters {sorted(missing)} do not reach the SQL as parameters: {self.sql}")
        self.width = compiler.col_count
        converters = compiler.get_converters([s[0] for s in compiler.select[: self.width]])
        self.converters = [(position, ([_faster(f, connection) for f in functions], expression))
                           for position, (functions, expression) in converters.items()]

    def params(self, values: dict, kinds: dict, connection) -> list:
        bound = list(self.constants)
        for position, name in self.slots:
            bound[position] = _ADAPT[kinds[name]](values[name], connection)
        return bound

    def convert(self, rows, connection) -> list[tuple]:
        if not self.converters and all(len(row) == self.width for row in rows):
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row[: self.width])
            for position, (functions, expression) in self.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted


def _faster(function, connection):
    """``function``, a converter of the database's operations, or for a datetime on a backend that
    stores naive UTC (SQLite) the same conversion without reading two settings per value: a listing
    converts two datetimes per row, and Django's own way cost more than running the query."""
    own = getattr(type(connection.ops), "convert_datetimefield_value", None)
    if getattr(function, "__func__", None) is not own or own is None or connection.vendor != "sqlite" or not settings.USE_TZ:
        return function
    zone = connection.timezone

    def aware(value, expression, connection):
        if value is None:
            return None
        if not isinstance(value, datetime):
            value = parse_datetime(value)
        return value.replace(tzinfo=zone) if value.tzinfo is None else value

    return aware


class PreparedQuery:
    """``build(**parameters)`` returns a ``values_list()`` queryset; calling the prepared query with
    the same keyword arguments returns its rows as tuples.

    ``kinds`` names each parameter's type: ``PreparedQuery(build, language=str, now=datetime)``.
    """

    def __init__(self, build: Callable, **kinds: type):
        unknown = {name: kind for name, kind in kinds.items() if kind not in _SENTINELS}
        if unknown:
            raise TypeError(f"Parameters of unsupported types: {unknown}")
        self.build = build
        self.kinds = kinds
        self._local = threading.local()

    def _compiled(self, connection) -> _Compiled:
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(connection.alias)
        if compiled is None or compiled.vendor != connection.vendor:
            sentinels = {name: _SENTINELS[kind](i) for i, (name, kind) in enumerate(self.kinds.items())}
            compiled = cache[connection.alias] = _Compiled(self.build(**sentinels), sentinels, self.kinds, connection)
        return compiled

    def __call__(self, using: str = "default", pick: Callable | None = None, **values) -> list[tuple]:
        """The rows for ``values``; ``pick(rows)`` first chooses among them before they are converted
        (it may only read integer and text columns: the others are not converted yet)."""
        return self._run(using, values, None, pick)

    def limited(self, limit: int, offset: int = 0) -> Callable[..., list[tuple]]:
        """This query's rows ``offset`` to ``offset + limit`` (the query itself must not be sliced)."""
        if limit <= 0:
            return lambda using="default", pick=None, **values: []
        window = (int(offset), int(offset) + int(limit))
        return lambda using="default", pick=None, **values: self._run(using, values, window, pick)

    def _run(self, using: str, values: dict, window: tuple[int, int] | None, pick: Callable | None) -> list[tuple]:
        connection = connections[using]
        compiled = self._compiled(connection)
        sql = compiled.sql if window is None else f"{compiled.sql} {connection.ops.limit_offset_sql(*window)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, compiled.params(values, self.kinds, connection))
            rows = cursor.fetchall()
        return compiled.convert(pick(rows) if pick else rows, connection)
