"""Admin of users: Django's user admin with each user's Kinerja profile (role, pemda,
agency) on the same page.

An admin pemda manages the users of its own pemda only (``admin_scope``): it adds them (with
their profile) and changes or deactivates them, but never sees a platform superuser, never
deletes a user, and its form has no superuser, staff, group or permission field — the
platform superuser alone makes someone an admin pemda."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .admin_scope import PemdaScoped, ScopedChoices
from .models import Profile, Role

User = get_user_model()

PLATFORM_ONLY_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


class PlatformRoles:
    """The national reader is made by the platform superuser alone: an admin pemda's role
    choices lack it (a forged POST naming it is a form error), as its province choices are
    empty (Province has no admin an admin pemda may use: admin_scope.ScopedChoices)."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [c for c in db_field.get_choices(include_blank=False)
                                 if c[0] != Role.NATIONAL]  # fmt: skip
        return super().formfield_for_choice_field(db_field, request, **kwargs)  # type: ignore[misc]


class ProfileInline(PlatformRoles, ScopedChoices, admin.StackedInline):
    model = Profile
    can_delete = False

    def get_min_num(self, request, obj=None, **kwargs):
        # a user an admin pemda adds belongs to its pemda from the start
        return 0 if request.user.is_superuser else 1


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(PemdaScoped, DjangoUserAdmin):
    pemda_path = "profile__government"
    inlines = [ProfileInline]
    list_filter = (*DjangoUserAdmin.list_filter, "profile__role", "profile__agency")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [(name, {**options, "fields": [f for f in options["fields"]
                                               if f not in PLATFORM_ONLY_FIELDS]})
                for name, options in fieldsets]  # fmt: skip

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if (f[0] if isinstance(f, tuple) else f)
                not in PLATFORM_ONLY_FIELDS]  # fmt: skip


@admin.register(Profile)
class ProfileAdmin(PlatformRoles, PemdaScoped, admin.ModelAdmin):
    pemda_path = "government"
    list_display = ("user", "role", "government", "province", "agency")
    list_filter = ("role", "government", "agency")
    list_select_related = ("user", "government", "agency")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
