"""An issued statement is never changed or deleted: not through the model, the queryset, the admin (superusers
included), nor, on PostgreSQL, through raw SQL. A correction is a credit note."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from billing.models import ImmutableError, Statement, StatementLine
from billing.statements import issue_statements
from billing.tests.test_statements import NOVEMBER_MORNING, invoiced_account, usage


@pytest.fixture
def statement(db):
    usage(invoiced_account(), delivered=1_000)
    return issue_statements(now=NOVEMBER_MORNING).issued[0]


def test_the_model_refuses_to_save_or_delete_an_issued_statement_or_line(statement):
    statement.buyer_name = "Başka Unvan"
    with pytest.raises(ImmutableError):
        statement.save()
    with pytest.raises(ImmutableError):
        statement.delete()
    line = statement.lines.get()
    line.amount = 0
    with pytest.raises(ImmutableError):
        line.save()
    with pytest.raises(ImmutableError):
        line.delete()

    statement.refresh_from_db()
    assert statement.buyer_name != "Başka Unvan"


def test_the_queryset_refuses_update_and_delete(statement):
    with pytest.raises(ImmutableError):
        Statement.objects.filter(pk=statement.pk).update(net=0)
    with pytest.raises(ImmutableError):
        Statement.objects.all().delete()
    with pytest.raises(ImmutableError):
        StatementLine.objects.filter(statement=statement).update(quantity=0)
    with pytest.raises(ImmutableError):
        statement.account.statements.all().delete()
    assert Statement.objects.filter(pk=statement.pk, net=statement.net).exists()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE billing_statement SET net = 0, total = kdv + oiv WHERE id = %s",
        "DELETE FROM billing_statement WHERE id = %s",
        "UPDATE billing_statementline SET quantity = 0 WHERE statement_id = %s",
        "DELETE FROM billing_statementline WHERE statement_id = %s",
    ],
)
def test_postgresql_refuses_raw_sql_that_changes_or_deletes_statements(statement, sql):
    with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [statement.pk])

    statement.refresh_from_db()
    assert statement.lines.get().quantity == 1_000


def test_the_admin_shows_a_statement_read_only_even_to_a_superuser(client, superuser, statement):
    client.force_login(superuser)
    change_url = reverse("admin:billing_statement_change", args=[statement.pk])

    page = client.get(change_url)

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert statement.number.encode() in page.content
    assert client.post(change_url, {"buyer_name": "Başka"}).status_code == 403
    assert client.get(reverse("admin:billing_statement_add")).status_code == 403
    assert client.get(reverse("admin:billing_statement_delete", args=[statement.pk])).status_code == 403
    assert (
        client.post(reverse("admin:billing_statement_delete", args=[statement.pk]), {"post": "yes"}).status_code
        == 403
    )
    # No bulk delete on the list either.
    changelist = client.get(reverse("admin:billing_statement_changelist"))
    assert b"delete_selected" not in changelist.content
    response = client.post(
        reverse("admin:billing_statement_changelist"),
        {"action": "delete_selected", "_selected_action": [statement.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Statement.objects.filter(pk=statement.pk).exists()
    statement.refresh_from_db()
    assert statement.buyer_name != "Başka"


def test_the_admin_lines_inline_is_read_only(client, superuser, statement):
    client.force_login(superuser)

    page = client.get(reverse("admin:billing_statement_change", args=[statement.pk])).content.decode()

    assert "Toplu SMS – teslim edilen mesaj parçaları (Ekim 2026)" in page
    assert 'name="lines-0-quantity"' not in page
    assert "lines-0-DELETE" not in page
