"""The Django admin of an admin pemda: only its pemda's rows and its pemda's choices.

Two kinds of people use ``/admin/``:

- the platform superuser, created only by ``kinerja manage createsuperuser``: everything;
- an admin pemda (``Profile.role == admin``, ``is_staff``, never ``is_superuser``): Django's
  model permissions come from the group "Admin pemda" (``PEMDA_ADMIN_PERMISSIONS``, set again
  at every ``migrate``), and every Kinerja ModelAdmin and inline is ``PemdaScoped``: its rows,
  the choices of its foreign keys and its filters are those of the pemda of the admin's
  profile; a row of another pemda answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.db.models import QuerySet
from django.http import Http404

PEMDA_ADMIN_GROUP = "Admin pemda"

_ALL = ("view", "add", "change", "delete")
# app label → model → what an admin pemda may do with it (in its own pemda only). Nothing
# else: no Django groups or permissions, no login records, no approval records.
PEMDA_ADMIN_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "planning": {
        # the national scales: read only
        "scale": ("view",),
        "scaleband": ("view",),
        # its own pemda: changed, never added or deleted (the platform does that)
        "government": ("view", "change"),
        **dict.fromkeys(
            "rpjmdmission rpjmdgoal rpjmdobjective agency orgunit strategicplan goal objective "
            "indicator indicatortarget performanceagreement agreementtarget agreementline "
            "signatory letterhead workitem actionplan reporttemplate".split(),
            _ALL,
        ),
    },
    "monitoring": {
        # a quarter's status and timeline move only by the workflow
        "quartersubmission": ("view",),
        "submissionevent": ("view",),
        **dict.fromkeys(
            ("reportingperiod", "realisation", "evidence", "indicatorrealisation", "narrative"),
            _ALL,
        ),
    },
    # the users of its pemda: added and changed (deactivated, never deleted); never made
    # superuser, never given groups or permissions (those fields are not on its form)
    "auth": {"user": ("view", "add", "change")},
    "accounts": {"profile": ("view", "add", "change")},
}


def ensure_pemda_admin_group(**kwargs: Any) -> Any:
    """Create the group "Admin pemda" and give it exactly PEMDA_ADMIN_PERMISSIONS (a
    post_migrate receiver: the permissions exist once every app has migrated; before that,
    nothing is done). Returns the group, or None while a permission is still missing."""
    from django.contrib.auth.models import Group, Permission

    db = kwargs.get("using", "default")
    wanted = {(app, f"{action}_{model}") for app, models in PEMDA_ADMIN_PERMISSIONS.items()
              for model, actions in models.items() for action in actions}  # fmt: skip
    found = [p for p in Permission.objects.using(db).filter(
        content_type__app_label__in=PEMDA_ADMIN_PERMISSIONS).select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted]  # fmt: skip
    if len(found) != len(wanted):
        return None
    group, _ = Group.objects.using(db).get_or_create(name=PEMDA_ADMIN_GROUP)
    group.permissions.set(found)
    return group


def pemda_of(user: Any) -> int | None:
    """The pemda (Government pk) whose data an admin pemda manages; None for anyone else, an
    admin with a province scope too (a reader above the pemda: rules.reads_from_above)."""
    from .models import Role
    from .rules import profile_of, reads_from_above

    profile = profile_of(user)
    if (profile is None or profile.role != Role.ADMIN or not user.is_staff
            or reads_from_above(profile)):  # fmt: skip
        return None
    return int(profile.government_id)


def in_pemda(qs: QuerySet, path: str | None, user: Any) -> QuerySet:
    """``qs`` as the user may see it: everything for a superuser; for an admin pemda the rows
    whose ``path`` leads to its pemda ("" — the model is the pemda; None — national data,
    every row); nothing for anyone else."""
    if user.is_superuser:
        return qs
    pemda = pemda_of(user)
    if pemda is None:
        return qs.none()
    if path is None:
        return qs
    return qs.filter(**{path or "pk": pemda})


class ScopedChoices:
    """A ModelAdmin or inline whose foreign key and many-to-many choices are only the rows
    the user may see in the admin of the related model, so a forged POST naming another
    pemda's row is a form error."""

    def _choices(self, db_field: Any, request: Any) -> QuerySet | None:
        if request.user.is_superuser:
            return None
        model = db_field.remote_field.model
        related = self.admin_site._registry.get(model)  # type: ignore[attr-defined]
        if isinstance(related, PemdaScoped):
            qs = related.get_queryset(request)
            ordering = related.get_ordering(request)
            return qs.order_by(*ordering) if ordering else qs
        return model._default_manager.none()  # not an admin it may use: no choice at all

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and (qs := self._choices(db_field, request)) is not None:
            kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and (qs := self._choices(db_field, request)) is not None:
            kwargs["queryset"] = qs
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class PemdaScoped(ScopedChoices):
    """A ModelAdmin limited to the admin's pemda. ``pemda_path``: the lookup from the model
    to its Government ("" for Government itself; None for national data, which an admin
    pemda may only read)."""

    pemda_path: str | None = "agency__government"

    def get_queryset(self, request):
        qs = super().get_queryset(request)  # type: ignore[misc]
        return in_pemda(qs, self.pemda_path, request.user)

    def _national(self, request: Any) -> bool:
        return self.pemda_path is None and not request.user.is_superuser

    def has_add_permission(self, request, *args):
        return not self._national(request) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None):
        return not self._national(request) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None):
        return not self._national(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def get_list_filter(self, request):
        """An admin pemda's filters offer only the related rows its list holds (the default
        would name every pemda's agencies)."""
        filters = super().get_list_filter(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return filters
        return [(f, admin.RelatedOnlyFieldListFilter) if isinstance(f, str)
                and get_fields_from_path(self.model, f)[-1].is_relation else f  # type: ignore[attr-defined]
                for f in filters]  # fmt: skip

    def _visible_or_404(self, request: Any, object_id: str | None) -> None:
        """Another pemda's row, or none at all: 404 (Django would redirect to the index
        saying it may have been deleted; the history views would show its old versions)."""
        if object_id is not None and self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            raise Http404

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._visible_or_404(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def delete_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_view(self, request, object_id, extra_context=None):
        if not request.user.is_superuser:  # a deleted row's history: the platform's only
            self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not request.user.is_superuser:
            self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]
