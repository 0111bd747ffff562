"""Cache of rendered fragments for pages read far more often than their data changes (the
entry grid's rows, the agency dashboard, the pemda overview's tables).

Correctness first: the token in ``DataVersion`` changes in the same transaction as any save
or delete of a planning or monitoring model (signals connected in ``WebConfig.ready``; the
code base writes through ``save()``/``delete()``, never ``QuerySet.update()`` on those apps,
and ``tests/web/test_fragments.py`` keeps it so). A fragment is looked up under the current
token only, so a figure that changed is recomputed on the next request. A reader that read
the token before a write committed stores its fragment under the old token, where nobody
looks for it again. ``KINERJA_FRAGMENT_CACHE=0`` turns the cache off (figures are then
computed on every request, as the benchmark's cold run does).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import DataVersion, Fragment

WATCHED_APPS = ("planning", "monitoring")
NOT_SHOWN = {("monitoring", "generatedreport")}  # the reports list is never cached
ROW = 1


def current_token() -> str:
    token = DataVersion.objects.filter(pk=ROW).values_list("token", flat=True).first()
    return token or ""


def bump(**_kwargs: Any) -> None:
    """A new token for the data; old fragments are dropped with it."""
    token = uuid.uuid4().hex
    if not DataVersion.objects.filter(pk=ROW).update(token=token):
        DataVersion.objects.update_or_create(pk=ROW, defaults={"token": token})
    Fragment.objects.exclude(token=token).delete()


def cached(parts: tuple[Any, ...], render: Callable[[], str]) -> SafeString:
    """The fragment named by ``parts`` (plus the language) for the data as it is now."""
    if not settings.FRAGMENT_CACHE:
        return mark_safe(render())  # noqa: S308 - render() returns escaped HTML
    key = ":".join(str(p) for p in (*parts, get_language()))
    found = (
        Fragment.objects.filter(key=key, token=Subquery(
            DataVersion.objects.filter(pk=ROW).values("token")[:1]))
        .values_list("html", flat=True)
        .first()
    )  # fmt: skip
    if found is not None:
        return mark_safe(found)  # noqa: S308 - stored from render()
    token = current_token()  # read before the data, so the fragment is never newer than it
    html = render()
    Fragment.objects.bulk_create([Fragment(key=key, token=token, html=html)],
                                 ignore_conflicts=True)  # fmt: skip
    return mark_safe(html)  # noqa: S308


# Bulk writes send no signal. The code base makes them only through these four, which bump
# the token in the same transaction, as the saves they stand for would have done.


def bulk_create(model: type, objs: list[Any], *, bump_token: bool = True,
                **kwargs: Any) -> list[Any]:  # fmt: skip
    """Rows written in bulk with no history of their own (the synthetic data of
    ``kinerja synth``: generated, not entered by anyone). ``bump_token=False`` only for a
    caller that bumps itself before its transaction ends (synth: once per pemda)."""
    rows: list[Any] = model.objects.bulk_create(objs, **kwargs)  # type: ignore[attr-defined]
    if bump_token:
        bump()
    return rows


def bulk_update(model: type, objs: list[Any], fields: list[str], **kwargs: Any) -> int:
    done: int = model.objects.bulk_update(objs, fields, **kwargs)  # type: ignore[attr-defined]
    bump()
    return done


def bulk_create_with_history(objs: list[Any], model: type, **kwargs: Any) -> list[Any]:
    from simple_history import utils

    rows: list[Any] = utils.bulk_create_with_history(objs, model, **kwargs)
    bump()
    return rows


def bulk_update_with_history(objs: list[Any], model: type, fields: list[str],
                             **kwargs: Any) -> int | None:  # fmt: skip
    from simple_history import utils

    done: int | None = utils.bulk_update_with_history(objs, model, fields, **kwargs)
    bump()
    return done


def watched_models() -> list[type]:
    return [
        model
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
        if (label, model._meta.model_name) not in NOT_SHOWN
        and not model._meta.model_name.startswith("historical")
    ]


def connect() -> None:
    for model in watched_models():
        post_save.connect(bump, sender=model, dispatch_uid=f"fragments-save-{model._meta.label}")
        post_delete.connect(bump, sender=model,
                            dispatch_uid=f"fragments-delete-{model._meta.label}")  # fmt: skip
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(bump, sender=field.remote_field.through,
                                dispatch_uid=f"fragments-m2m-{model._meta.label}-{field.name}")  # fmt: skip
