"""The admin in Turkish: labels capitalised the Turkish way, the singular after a number, no English header, and the
review queue's columns all on a 1366-pixel screen."""

import pytest
from django.apps import apps
from django.contrib.admin.utils import model_ngettext
from django.utils import translation
from django.utils.text import capfirst

from config.tests.pages import build_world, session_cookie
from onboarding import services
from onboarding.models import Application, ReviewerRule
from onboarding.tests.helpers import submitted

PORTAL_APPS = {
    "accounts",
    "onboarding",
    "documents",
    "billing",
    "outbox",
    "reminders",
    "finance",
    "privacy",
    "support",
}


def _portal_models():
    return [model for model in apps.get_models() if model._meta.app_label in PORTAL_APPS]


def test_no_label_starts_with_a_dotted_i_that_django_would_capitalise_as_I():
    # capfirst("il") is "Il": Python upper-cases i to I, Turkish to İ. Labels that start with i are written "İ…".
    with translation.override("tr"):
        wrong = [
            f"{model.__name__}.{field.name}: {field.verbose_name}"
            for model in _portal_models()
            for field in model._meta.get_fields()
            if str(getattr(field, "verbose_name", "")).startswith("i")
        ]
        wrong += [
            f"{model.__name__}: {model._meta.verbose_name_plural}"
            for model in _portal_models()
            if str(model._meta.verbose_name_plural).startswith("i")
        ]
        assert wrong == []
        assert capfirst(ReviewerRule._meta.verbose_name_plural) == "İnceleme kuralları"
        assert capfirst(Application._meta.get_field("province").verbose_name) == "İl"


def test_every_field_of_the_portal_has_a_turkish_name_not_its_english_attribute_name():
    # An attribute name shown as a header ("unit price") is upper-cased the Turkish way under lang="tr" (UNİT PRİCE).
    with translation.override("tr"):
        english = [
            f"{model.__name__}.{field.name}"
            for model in _portal_models()
            if not model.__name__.startswith("Historical")
            for field in model._meta.get_fields()
            if hasattr(field, "verbose_name")
            and field.name not in {"id", "plan"}  # "id" is Django's key; "plan" is Turkish too
            and str(field.verbose_name) == field.name.replace("_", " ")
        ]
    assert english == []


@pytest.mark.parametrize("count", [2, 5, 21])
def test_a_count_of_models_is_followed_by_the_singular_in_turkish_and_the_plural_in_english(count):
    with translation.override("tr"):
        assert model_ngettext(Application._meta, count) == "başvuru"
        assert model_ngettext(ReviewerRule._meta, count) == "İnceleme kuralı"
        plural_after_a_number = [
            f"{model.__name__}: {model_ngettext(model._meta, count)}"
            for model in _portal_models()
            if not model.__name__.startswith("Historical")  # simple_history's own name ("historical …")
            and model_ngettext(model._meta, count) != str(model._meta.verbose_name)
        ]
        assert plural_after_a_number == []
    with translation.override("en"):
        assert model_ngettext(Application._meta, count) == "applications"
        assert model_ngettext(Application._meta, 1) == "application"


def test_the_queue_counts_its_applications_in_the_singular(client, applicant, other_applicant, reviewer):
    submitted(applicant)
    submitted(other_applicant)
    client.force_login(reviewer)

    page = client.get("/admin/onboarding/application/").content.decode()
    count = page.split('class="paginator"')[1].split("</nav>")[0].split("</h2>")[1]
    assert " ".join(count.split()) == "2 başvuru"

    client.cookies["django_language"] = "en"
    page = client.get("/admin/onboarding/application/").content.decode()
    count = page.split('class="paginator"')[1].split("</nav>")[0].split("</h2>")[1]
    assert " ".join(count.split()) == "2 applications"


def test_the_change_form_labels_province_and_district_the_turkish_way(client, applicant, reviewer):
    application = submitted(applicant)
    client.force_login(reviewer)
    page = client.get(f"/admin/onboarding/application/{application.pk}/change/").content.decode()
    assert "İl:" in page and "İlçe:" in page
    assert ">Il:" not in page and "Ilçe" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_review_queue_shows_every_column_on_a_1366_pixel_screen(
    live_server, browser, applicant, other_applicant, reviewer
):
    build_world(applicant, reviewer)
    waiting = submitted(other_applicant, type_code="association")
    services.record_cargo(waiting, company="Yurtiçi Kargo", tracking_number="YK-2026-0000123456789")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_cookies([session_cookie(live_server, reviewer)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/admin/onboarding/application/")

    table_right, results_right, filters_left, scroll_width, headers = page.evaluate(
        """() => [
          document.querySelector("#result_list").getBoundingClientRect().right,
          document.querySelector("#changelist .results").getBoundingClientRect().right,
          document.querySelector("#changelist-filter").getBoundingClientRect().left,
          document.documentElement.scrollWidth,
          Array.from(document.querySelectorAll("#result_list thead th")).map((th) => th.innerText.trim()),
        ]"""
    )
    assert len(headers) == 7, headers
    # Inside its scrolling box, not only left of the filters: the box clips what passes its edge.
    assert table_right <= results_right + 0.5 <= filters_left, (table_right, results_right, filters_left)
    assert scroll_width <= 1366
    context.close()
