"""One naming of quarters (issue 17): ``{{ quarter|roman }}`` → "II", for "Triwulan II" in text
and "TW II" in tight headers."""

from __future__ import annotations

from django import template

from kinerja.core.numbers import quarter_roman

register = template.Library()
register.filter("roman", quarter_roman)
