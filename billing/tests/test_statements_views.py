"""The customer's statements page and PDFs (the account's owner only; 404 for anyone else), and the finance staff's
statement admin: the list, the PDF download, and the credit note form."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Statement
from billing.statements import issue_credit_note, issue_statements
from billing.tests.test_statements import NOVEMBER_MORNING, invoiced_account, usage


@pytest.fixture
def account(applicant):
    return invoiced_account(applicant)


@pytest.fixture
def statement(account):
    usage(account, delivered=1_234)
    return issue_statements(now=NOVEMBER_MORNING).issued[0]


def list_url(account) -> str:
    return reverse("billing:statements", args=[account.code])


def pdf_url(statement) -> str:
    return reverse("billing:statement-pdf", args=[statement.account.code, statement.number])


# --- The customer ---------------------------------------------------------------------------------------------------


def test_the_owner_sees_each_statement_with_net_each_tax_and_total(client, applicant, statement, finance):
    note = issue_credit_note(statement, amount_net=Decimal("100.00"), reason="Arıza", actor=finance)
    client.force_login(applicant)

    page = client.get(list_url(statement.account))

    assert page.status_code == 200
    html = page.content.decode()
    assert statement.number in html and note.number in html
    for amount in ["555,30 TL", "111,06 TL", "55,53 TL", "721,89 TL"]:
        assert amount in html
    assert "−130,00 TL" in html  # the credit note, as what it is
    assert f"{statement.number} numaralı faturayı düzeltir" in html
    assert "Ekim 2026" in html
    assert pdf_url(statement) in html and pdf_url(note) in html
    assert [row.number for row in page.context["statements"]] == [note.number, statement.number]


def test_the_page_speaks_english_when_asked_but_the_amounts_stay_exact(client, applicant, statement):
    client.force_login(applicant)
    client.cookies["django_language"] = "en"

    html = client.get(list_url(statement.account), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "October 2026" in html
    assert "721.89 TL" in html


def test_an_account_without_statements_says_so(client, applicant, account):
    client.force_login(applicant)

    page = client.get(list_url(account))

    assert page.status_code == 200
    assert page.context["statements"] == []
    assert "Henüz düzenlenmiş bir faturanız yok" in page.content.decode()


def test_the_owner_downloads_the_pdf(client, applicant, statement):
    client.force_login(applicant)

    response = client.get(pdf_url(statement))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{statement.number}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")


def test_a_statement_is_rendered_once_for_its_owner_and_finance_and_a_credit_note_leaves_its_pdf_as_it_was(
    client, applicant, finance, statement, pdf_renders
):
    client.force_login(applicant)
    first = client.get(pdf_url(statement)).content
    client.force_login(finance)
    from_the_admin = client.get(reverse("admin:billing_statement_pdf", args=[statement.pk])).content
    assert len(pdf_renders) == 1

    note = issue_credit_note(statement, amount_net=Decimal("100.00"), reason="Arıza", actor=finance)
    client.force_login(applicant)
    after_the_note = client.get(pdf_url(statement)).content
    note_pdf = client.get(pdf_url(note)).content

    assert first == from_the_admin == after_the_note
    assert note_pdf.startswith(b"%PDF") and note_pdf != first
    assert len(pdf_renders) == 2  # the credit note's own, once


def test_another_customer_gets_404_for_the_list_and_the_pdf(client, other_applicant, statement):
    own = invoiced_account(other_applicant)
    client.force_login(other_applicant)

    assert client.get(list_url(statement.account)).status_code == 404
    assert client.get(pdf_url(statement)).status_code == 404
    # Nor through their own account's URL with the other's statement number.
    assert client.get(reverse("billing:statement-pdf", args=[own.code, statement.number])).status_code == 404
    assert client.get(list_url(own)).status_code == 200


def test_staff_are_not_customers_here_either(client, finance, statement):
    client.force_login(finance)

    assert client.get(list_url(statement.account)).status_code == 404
    assert client.get(pdf_url(statement)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, statement):
    for url in [list_url(statement.account), pdf_url(statement)]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_an_unknown_number_is_404(client, applicant, statement):
    client.force_login(applicant)

    assert (
        client.get(reverse("billing:statement-pdf", args=[statement.account.code, "TSP2026999999999"])).status_code
        == 404
    )
    assert client.get(f"/musteri/{statement.account.code}/faturalar/x%27%3B.pdf").status_code == 404


def test_the_list_costs_the_same_queries_with_more_statements(client, applicant, account, finance):
    client.force_login(applicant)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(list_url(account)).status_code == 200
        return len(queries.captured_queries)

    usage(account, datetime.date(2026, 9, 1), delivered=10)
    issue_statements(datetime.date(2026, 9, 1), now=NOVEMBER_MORNING)
    few = queries_for_list()
    for month in (6, 7, 8, 10):
        usage(account, datetime.date(2026, month, 1), delivered=10)
        invoice = issue_statements(datetime.date(2026, month, 1), now=NOVEMBER_MORNING).issued[0]
        issue_credit_note(invoice, amount_net=Decimal("1.00"), reason="Arıza", actor=finance)

    assert Statement.objects.filter(account=account).count() == 9
    assert queries_for_list() == few


# --- Finance in the admin -------------------------------------------------------------------------------------------


def test_finance_lists_filters_and_searches_statements_with_constant_queries(client, finance, statement):
    client.force_login(finance)
    url = reverse("admin:billing_statement_changelist")

    def count(params) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(queries.captured_queries), response.content.decode()

    few, html = count({})
    assert statement.number in html and "Ekim 2026" in html
    for _ in range(4):
        usage(invoiced_account(), delivered=10)
    issue_statements(now=NOVEMBER_MORNING)
    assert count({})[0] == few

    assert statement.number in count({"period": "2026-10-01", "kind": "invoice", "profile": "e_arsiv"})[1]
    assert statement.number not in count({"period": "2026-09-01"})[1]
    assert statement.number not in count({"kind": "credit_note"})[1]
    assert count({"period": "not-a-date"})[0] > 0
    assert statement.number in count({"q": statement.number})[1]
    assert statement.number in count({"q": statement.buyer_tax_number})[1]
    assert statement.number in count({"q": "Şişli Belediyesi"})[1]


def test_finance_downloads_the_pdf_from_the_admin(client, finance, statement):
    client.force_login(finance)
    change = client.get(reverse("admin:billing_statement_change", args=[statement.pk])).content.decode()
    url = reverse("admin:billing_statement_pdf", args=[statement.pk])

    response = client.get(url)

    assert url in change
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="{statement.number}.pdf"'


def test_a_reviewer_sees_no_statements_in_the_admin(client, reviewer, statement):
    client.force_login(reviewer)

    assert client.get(reverse("admin:billing_statement_changelist")).status_code == 403
    assert client.get(reverse("admin:billing_statement_pdf", args=[statement.pk])).status_code == 403
    assert client.get(reverse("admin:billing_statement_credit_note", args=[statement.pk])).status_code == 403


def test_finance_issues_a_credit_note_from_the_admin(client, finance, statement):
    client.force_login(finance)
    change = client.get(reverse("admin:billing_statement_change", args=[statement.pk])).content.decode()
    url = reverse("admin:billing_statement_credit_note", args=[statement.pk])
    assert url in change and "İade faturası düzenle" in change

    form = client.get(url)
    assert form.status_code == 200
    assert "555.30" in form.content.decode()  # what remains, offered as the amount

    response = client.post(url, {"amount": "100.00", "reason": "Operatör arızası"})

    note = Statement.objects.get(kind=Statement.Kind.CREDIT_NOTE)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:billing_statement_change", args=[note.pk])
    assert (note.corrects, note.net, note.reason, note.created_by) == (
        statement,
        Decimal("100.00"),
        "Operatör arızası",
        finance,
    )
    # A credit note cannot itself be credited: the page offers only the PDF.
    note_page = client.get(response["Location"]).content.decode()
    assert reverse("admin:billing_statement_credit_note", args=[note.pk]) not in note_page


def test_the_credit_note_form_refuses_too_much_or_no_reason_and_issues_nothing(client, finance, statement):
    client.force_login(finance)
    url = reverse("admin:billing_statement_credit_note", args=[statement.pk])

    too_much = client.post(url, {"amount": "555.31", "reason": "Arıza"})
    no_reason = client.post(url, {"amount": "10.00", "reason": " "})

    assert too_much.status_code == 200 and "kalan tutarını" in too_much.content.decode()
    assert no_reason.status_code == 200 and no_reason.context["form"].errors["reason"]
    assert not Statement.objects.filter(kind=Statement.Kind.CREDIT_NOTE).exists()


def test_the_credit_note_action_takes_one_invoice_to_the_form(client, finance, statement):
    client.force_login(finance)
    changelist = reverse("admin:billing_statement_changelist")

    response = client.post(changelist, {"action": "credit_note_action", "_selected_action": [statement.pk]})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:billing_statement_credit_note", args=[statement.pk])


def test_without_the_credit_note_permission_there_is_no_button_and_no_form(client, finance, statement):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name="Finance")
    group.permissions.remove(Permission.objects.get(codename="creditnote_statement"))
    client.force_login(finance)

    change = client.get(reverse("admin:billing_statement_change", args=[statement.pk])).content.decode()
    url = reverse("admin:billing_statement_credit_note", args=[statement.pk])

    assert url not in change
    assert client.get(url).status_code == 403
    assert client.post(url, {"amount": "1.00", "reason": "Arıza"}).status_code == 403
    assert not Statement.objects.filter(kind=Statement.Kind.CREDIT_NOTE).exists()
