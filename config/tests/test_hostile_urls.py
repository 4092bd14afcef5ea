"""Every URL of the project, with hostile identifiers and query strings, by every kind of visitor: never a 500.

The crawl reads the URLconf itself, so a URL added tomorrow is crawled tomorrow. Each parameter of each pattern is
replaced in turn by a NUL byte, by a valid value with a NUL appended, by a word where a number belongs and by a number
too large for any column, the others keeping valid values (the applicant's own application, its files, an existing
object of the admin's model); every URL is also asked with NUL in its query string, and every admin changelist with
NUL and junk in each of its filters, its search and its ordering.

PostgreSQL refuses NUL in a string parameter (psycopg raises before the query is sent), so that is where the crawl
matters most; CI runs it there. On SQLite it still holds the portal to the same answers: a NUL in the path is a
404 and a NUL in the query string a 400, whatever the database would have done with it.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import DataError, connection, transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from documents.models import DocumentFile
from onboarding.models import Application
from onboarding.tests.helpers import submitted

NUL = "%00"
TOO_LARGE = "9" * 30
# GET parameters the portal's own views read, besides the admin's.
PORTAL_QUERY_NAMES = ["next", "indir", "value", "q", "o", "p"]

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<body>[^()]*)\)")


@dataclass
class Parameter:
    name: str
    converter: str  # "str", "int", "slug", "path", or "regex"
    regex_body: str = ""


@dataclass
class Pattern:
    """One URL pattern flattened into literal text and parameters, with the admin model it belongs to, if any."""

    pieces: list  # str literals and Parameter objects, in order
    model: type | None

    def parameters(self) -> list[Parameter]:
        return [piece for piece in self.pieces if isinstance(piece, Parameter)]

    def url(self, values: dict[int, str]) -> str:
        out, index = [], 0
        for piece in self.pieces:
            if isinstance(piece, Parameter):
                out.append(values[index])
                index += 1
            else:
                out.append(piece)
        return "/" + "".join(out)


def _pieces(pattern) -> list:
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        splitter, make = _ROUTE_PARAMETER, lambda m: Parameter(m["name"], m["converter"] or "str")
    else:
        text = text.removeprefix("^").removesuffix("$").replace("\\", "")
        splitter, make = _REGEX_GROUP, lambda m: Parameter(m["name"] or "positional", "regex", m["body"])
    pieces, position = [], 0
    for match in splitter.finditer(text):
        pieces += [text[position : match.start()], make(match)]
        position = match.end()
    return [*pieces, text[position:]]


def project_patterns() -> list[Pattern]:
    admin_models = {f"{model._meta.app_label}/{model._meta.model_name}/": model for model in admin.site._registry}

    def walk(entries, prefix: list, model):
        for entry in entries:
            pieces = prefix + _pieces(entry.pattern)
            entry_model = admin_models.get(str(entry.pattern), model)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, pieces, entry_model)
            elif isinstance(entry, URLPattern):
                yield Pattern(pieces, entry_model)

    return list(walk(get_resolver().url_patterns, [], None))


@dataclass
class World:
    """What valid parameters point at: the applicant's submitted application and one of its stored files."""

    application: Application
    document_file: DocumentFile

    def valid(self, parameter: Parameter, model: type | None, position: int) -> str:
        name, body = parameter.name, parameter.regex_body
        if name == "reference":
            return self.application.reference
        if name == "slug":
            return "belgeler"
        if name == "requirement_id":
            return str(self.document_file.document.requirement_id)
        if name == "pk":
            return str(self.document_file.pk)
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(Application).pk)
        if name == "object_id" or (parameter.converter == "regex" and position == 0 and "/" in body):
            target = model or Application
            if target is Application:
                return str(self.application.pk)
            first = target._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return str(first if first is not None else 1)
        if parameter.converter == "regex" and "|" in body:
            return body.split("|")[0]  # the admin's app list: any app label it knows
        if parameter.converter == "regex" and position == 1 and model is Application:
            return str(self.application.history.order_by("history_id").first().history_id)
        if name == "uidb64":
            return "MQ"
        return "abc"


def _hostile_values(valid: str) -> list[str]:
    return [NUL, f"{valid}{NUL}", f"{NUL}{valid}", "yok", TOO_LARGE]


def changelist_parameters(superuser) -> dict[type, list[str]]:
    """Each registered ModelAdmin's changelist query parameters: its filters' own, search, ordering, page."""
    request = RequestFactory().get("/")
    request.user = superuser
    parameters = {}
    for model, model_admin in admin.site._registry.items():
        changelist = model_admin.get_changelist_instance(request)
        names = {"q", "o", "p", "e", "_to_field", "_popup"}
        for spec in changelist.filter_specs:
            names.update(spec.expected_parameters())
        parameters[model] = sorted(names)
    return parameters


def crawl(client, world: World, changelists: dict[type, list[str]]) -> list[str]:
    """Every hostile request; returns the ones answered wrongly, as "METHOD URL -> status"."""
    wrong: list[str] = []

    def ask(method: str, url: str, expected: set[int] | None) -> None:
        response = getattr(client, method)(url)
        status = response.status_code
        if status >= 500 or (expected is not None and status not in expected):
            wrong.append(f"{method.upper()} {url} -> {status}")

    for pattern in project_patterns():
        parameters = pattern.parameters()
        valid = {i: world.valid(parameter, pattern.model, i) for i, parameter in enumerate(parameters)}
        for i in range(len(parameters)):
            for value in _hostile_values(valid[i]):
                url = pattern.url({**valid, i: value})
                # A NUL in the path is a bad identifier: 404 for everyone, before login or any lookup.
                expected = {404} if NUL in value else None
                ask("get", url, expected)
                ask("post", url, expected)
        url = pattern.url(valid)
        names = PORTAL_QUERY_NAMES + (changelists.get(pattern.model, []) if not parameters else [])
        # A NUL in the query string is a bad request: 400, whatever the parameter.
        ask("get", f"{url}?x={NUL}", {400})
        for name in dict.fromkeys(names):
            ask("get", f"{url}?{name}=a{NUL}b", {400})
    for model, names in changelists.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for name in names:
            ask("get", f"{url}?{name}=yok", None)
            ask("get", f"{url}?{name}={TOO_LARGE}", None)
    return wrong


@pytest.fixture
def world(applicant) -> World:
    application = submitted(applicant)
    return World(application, DocumentFile.objects.filter(document__application=application).first())


@pytest.mark.parametrize("visitor", ["anonymous", "applicant", "reviewer", "superuser"])
def test_no_url_answers_500_to_hostile_identifiers_or_query_strings(request, client, world, superuser, visitor):
    client.raise_request_exception = False  # a crash is an answer here: a 500 to count, not a test error
    if visitor != "anonymous":
        client.force_login(request.getfixturevalue(visitor))
    changelists = changelist_parameters(superuser)

    wrong = crawl(client, world, changelists)

    assert not wrong, f"{len(wrong)} wrong answers, the first ones:\n" + "\n".join(wrong[:40])


def test_the_crawl_reaches_every_kind_of_url(superuser):
    """A guard on the crawler itself: it sees the portal, the accounts pages, the files and every admin model."""
    urls = {pattern.url(dict.fromkeys(range(len(pattern.parameters())), "X")) for pattern in project_patterns()}

    assert {"/basvuru/X/", "/basvuru/X/yetki-yazisi.pdf", "/basvuru/X/X/", "/belgeler/dosya/X/"} <= urls
    assert "/hesap/parola/sifirla/X/X/" in urls
    assert "/admin/onboarding/application/X/history/X/" in urls
    for model in admin.site._registry:
        assert f"/admin/{model._meta.app_label}/{model._meta.model_name}/" in urls
    assert set(changelist_parameters(superuser)) == set(admin.site._registry)


def test_the_addresses_found_in_the_attack_answer_404_or_400_in_turkish(client, applicant, superuser):
    reference = submitted(applicant).reference
    client.force_login(applicant)
    for url in ["/basvuru/%00/", f"/basvuru/{reference}%00/", f"/basvuru/{reference}%00/yetki-yazisi.pdf"]:
        assert client.get(url).status_code == 404
    assert client.get(f"/basvuru/{reference.lower()}/").status_code == 404  # only the printed form is a reference
    assert client.get(f"/basvuru/{reference}/").status_code == 200
    client.force_login(superuser)
    for query in ["il=%00", "status__exact=%00", "q=%00"]:
        response = client.get(f"/admin/onboarding/application/?{query}")
        assert response.status_code == 400
        assert "Adresteki sorgu geçersiz bir karakter içeriyor" in response.text
    assert client.get("/admin/onboarding/application/?q=ad%09soyad").status_code == 200  # a pasted tab is fine


@pytest.mark.postgres
def test_postgresql_refuses_nul_in_text_so_the_crawl_there_is_the_one_that_matters(db):
    with pytest.raises(DataError), transaction.atomic():
        list(Application.objects.filter(reference="TS-\x00"))
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize("selected", ["abc", "1 OR 1=1", "\x00", "١"])
def test_an_admin_action_posted_with_ids_that_are_not_numbers_answers_400_on_every_changelist(
    client, superuser, selected
):
    client.force_login(superuser)
    wrong = []
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.post(url, {"action": "delete_selected", "_selected_action": ["1", selected]})
        if response.status_code != 400:
            wrong.append(f"{url}: {response.status_code}")
        del model_admin

    assert wrong == []
    assert "Seçilen kayıtlar geçersiz" in response.content.decode()
