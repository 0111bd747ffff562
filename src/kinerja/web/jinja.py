"""Jinja2 for the few tables where Django's template engine is the bottleneck.

The entry grid renders about twenty cells for each of 60 and more rows on every request; with
Django templates that alone took ~35 ms of the ~50 ms the page cost, several times what Jinja2
needs for the same markup (bench/bench_web_load.py). The page around such a table stays a
Django template; the table is rendered here into a safe string it includes.

Jinja2 fragments hold no translatable text: ``makemessages`` does not read them, so every
label comes translated from Python (``gettext``), and the catalogues stay complete.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, FileSystemLoader, StrictUndefined

_PACKAGE = Path(__file__).resolve().parent.parent
_env = Environment(
    loader=FileSystemLoader([_PACKAGE / app / "templates" for app in ("monitoring", "web")]),
    autoescape=True,
    undefined=StrictUndefined,
    auto_reload=settings.DEBUG,
    trim_blocks=True,
    lstrip_blocks=True,
)

_PLACEHOLDER = 987654321


def render_fragment(name: str, context: Mapping[str, Any]) -> SafeString:
    """The fragment ``name`` (under an app's ``templates/``), escaped, ready to include."""
    return mark_safe(_env.get_template(name).render(context))  # noqa: S308 - autoescaped


def url_maker(name: str, *, item: str = "item", **kwargs: Any) -> Callable[[int], str]:
    """``reverse(name, kwargs={..., item: pk})`` for many pks at the cost of one reverse:
    the URL is built once with a placeholder and the pk put in its place."""
    prefix, _sep, suffix = reverse(name, kwargs={**kwargs, item: _PLACEHOLDER}).partition(
        str(_PLACEHOLDER)
    )
    return lambda pk: f"{prefix}{pk}{suffix}"
