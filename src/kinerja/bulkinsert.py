"""Many new rows of one model at once: PostgreSQL's ``COPY … FROM STDIN`` where the database
is PostgreSQL, Django's ``bulk_create`` elsewhere (SQLite). Called only by
``web.fragments.bulk_create``, the one way rows are written in bulk (it moves the fragment
cache's token; ``tests/web/test_fragments.py`` finds any other caller).

``insert_rows`` is ``bulk_create`` without its price at volume: Django builds one
``INSERT … VALUES`` of 2.000 rows × 20 columns, prepares every value through its field, and
psycopg then parses that statement for its placeholders and binds each parameter — ~0,3 ms a
row of ``kinerja synth``. ``COPY`` streams the rows' values as they are. The ids are drawn
from the table's own sequence first (one query), in the order of ``objs``, so a child row may
name a parent written in the same call or an earlier one, and every object has its ``pk``
afterwards, as after ``bulk_create``. The same rules hold as for ``bulk_create``: no
``save()``, no signals, no history rows; constraints, indexes and triggers apply as to any
insert.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connections, router
from django.db.models import Field

__all__ = ["insert_rows"]

# field types whose prepared value is the Python value itself when it already has this type
# (Django's get_db_prep_save on PostgreSQL returns it unchanged): anything else is prepared
# by its field
_RAW_TYPES: dict[str, tuple[type, ...]] = {
    "CharField": (str,), "TextField": (str,), "SlugField": (str,), "EmailField": (str,),
    "URLField": (str,), "IntegerField": (int,), "PositiveIntegerField": (int,),
    "PositiveSmallIntegerField": (int,), "SmallIntegerField": (int,), "BigIntegerField": (int,),
    "PositiveBigIntegerField": (int,), "AutoField": (int,), "BigAutoField": (int,),
    "ForeignKey": (int,), "OneToOneField": (int,), "BooleanField": (bool,),
    "DecimalField": (Decimal,), "DateField": (date,), "DateTimeField": (datetime,),
}  # fmt: skip


def insert_rows(model: type, objs: list[Any], **kwargs: Any) -> list[Any]:
    """Insert ``objs`` (new instances of ``model``) and set their ``pk``; returns ``objs``.
    ``kwargs`` are ``bulk_create``'s: any but ``batch_size`` (a conflict clause, …) is left
    to ``bulk_create``, on PostgreSQL too."""
    if not objs:
        return objs
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or set(kwargs) - {"batch_size"}:
        return model.objects.bulk_create(objs, **kwargs)  # type: ignore[attr-defined, no-any-return]
    meta = model._meta  # type: ignore[attr-defined]
    fields = list(meta.concrete_fields)
    pk = meta.pk
    with connection.cursor() as cursor:
        new = [o for o in objs if o.pk is None]
        if new:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(new)],
            )
            for obj, (pk_value,) in zip(new, sorted(cursor.fetchall()), strict=True):
                setattr(obj, pk.attname, pk_value)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        getters = [_getter(f, connection) for f in fields]
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])
    for obj in objs:  # as bulk_create leaves them: saved, in the database they were written to
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _getter(field: Field, connection: Any) -> Any:  # type: ignore[type-arg]
    """The function giving ``field``'s value of an object as the column takes it."""
    attname = field.attname
    raw = _RAW_TYPES.get(field.get_internal_type(), ())
    pre_save = type(field).pre_save is not Field.pre_save  # auto_now and the like
    related = field.is_relation
    cache_name = field.cache_name if related else ""

    def get(obj: Any) -> Any:
        if pre_save:
            value = field.pre_save(obj, True)
        else:
            value = obj.__dict__.get(attname)
            if value is None and related:
                parent = obj._state.fields_cache.get(cache_name)  # written before, as
                if parent is not None:  # bulk_create wants it
                    if parent.pk is None:
                        raise ValueError(f"{field.name} of {obj!r} is not saved yet.")
                    value = parent.pk
                    setattr(obj, attname, value)
        if value is None or (type(value) in raw
                             and not (type(value) is datetime and value.tzinfo is None)):  # fmt: skip
            return value
        return field.get_db_prep_save(value, connection)

    return get
