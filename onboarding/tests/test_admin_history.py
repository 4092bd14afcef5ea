"""The admin's field history is for reading: no role, superusers included, can write an old version back.

django-simple-history's version page saved the chosen version over the object on a POST from anyone allowed to view
it; an application went back to a draft with blank fields and no event row. Every model with history is covered
here: a new one needs an entry in HISTORY_OBJECTS, or the first test fails.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from config.admin_toolkit import HistoryWithoutRevertAdmin
from conftest import _user
from onboarding.models import Application, ApplicationEvent
from onboarding.tests.helpers import submitted

# How to make an object with some history, per model that has one (the earliest version differs from the current).
HISTORY_OBJECTS = {Application: lambda applicant: submitted(applicant)}
ROLES = ["applicant", "reviewer", "finance", "staff_without_permissions", "superuser"]
READERS = ["reviewer", "finance", "superuser"]


@pytest.fixture
def staff_without_permissions(db):
    return _user("yetkisiz@portal.test", is_staff=True, full_name="Yetkisiz Personel")


def models_with_history() -> list[type]:
    return [model for model in apps.get_models() if hasattr(model._meta, "simple_history_manager_attribute")]


def urls_for(model, obj) -> tuple[str, str, object]:
    """The history list, the page of the object's earliest version, and that version."""
    opts = model._meta
    history = getattr(obj, opts.simple_history_manager_attribute)
    earliest = history.order_by("history_date", "history_id").first()
    return (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, earliest.history_id]),
        earliest,
    )


def snapshot(model, obj) -> dict:
    """Everything recorded about the object: its row, its history and, for an application, its events."""
    history = getattr(obj, model._meta.simple_history_manager_attribute)
    return {
        "row": model._default_manager.filter(pk=obj.pk).values().get(),
        "history": list(history.values_list("history_id", flat=True)),
        "events": list(ApplicationEvent.objects.values_list("pk", flat=True)),
    }


def test_every_model_with_history_is_covered_here_and_its_admin_cannot_revert():
    assert set(models_with_history()) == set(HISTORY_OBJECTS)
    for model in HISTORY_OBJECTS:
        assert isinstance(admin.site._registry[model], HistoryWithoutRevertAdmin)


@pytest.mark.parametrize("model", list(HISTORY_OBJECTS), ids=lambda model: model._meta.label)
@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_write_an_old_version_back_through_the_history_page(request, client, applicant, model, role):
    obj = HISTORY_OBJECTS[model](applicant)
    _history_url, version_url, earliest = urls_for(model, obj)
    assert earliest.status != obj.status  # a revert would show
    client.force_login(request.getfixturevalue(role))
    before = snapshot(model, obj)
    # What the version page's form would carry: the old values of every field the history keeps.
    old_values = {
        field.name: getattr(earliest, field.attname) or ""
        for field in model._meta.concrete_fields
        if not field.primary_key and hasattr(earliest, field.attname)
    }

    response = client.post(version_url, {**old_values, "_save": "Kaydet"})

    assert snapshot(model, obj) == before
    assert response.status_code in (403, 404, 405)


@pytest.mark.parametrize("model", list(HISTORY_OBJECTS), ids=lambda model: model._meta.label)
@pytest.mark.parametrize("role", READERS)
def test_the_history_and_each_version_stay_readable_to_those_who_may_view_the_object(
    request, client, applicant, model, role
):
    obj = HISTORY_OBJECTS[model](applicant)
    history_url, version_url, _earliest = urls_for(model, obj)
    client.force_login(request.getfixturevalue(role))

    listing = client.get(history_url)
    version = client.get(version_url)

    assert listing.status_code == 200
    assert 'id="change-history"' in listing.text
    assert version.status_code == 200
    assert 'name="_save"' not in version.text  # no Revert button: nothing to send back


@pytest.mark.parametrize("model", list(HISTORY_OBJECTS), ids=lambda model: model._meta.label)
def test_the_history_stays_closed_to_applicants_and_staff_without_permissions(
    client, applicant, staff_without_permissions, model
):
    obj = HISTORY_OBJECTS[model](applicant)
    history_url, version_url, _earliest = urls_for(model, obj)

    client.force_login(staff_without_permissions)
    assert client.get(history_url).status_code == 403
    assert client.get(version_url).status_code == 403
    client.force_login(applicant)
    assert client.get(history_url).url.startswith(reverse("admin:login"))
    assert client.get(version_url).url.startswith(reverse("admin:login"))


def test_a_version_page_of_another_object_or_a_word_for_an_id_is_a_404(client, superuser, applicant, other_applicant):
    first = submitted(applicant)
    second = submitted(other_applicant)
    _history_url, version_url, earliest = urls_for(Application, first)
    client.force_login(superuser)

    assert client.get(f"/admin/onboarding/application/{second.pk}/history/{earliest.history_id}/").status_code == 404
    assert client.get(f"/admin/onboarding/application/{first.pk}/history/yok/").status_code == 404
    assert client.get(f"/admin/onboarding/application/yok/history/{earliest.history_id}/").status_code == 404
    assert client.get("/admin/onboarding/application/yok/history/").status_code == 404
    assert client.get(version_url).status_code == 200
