"""Offline contributions: one at a time (organiser and maker) and from a CSV file (refused
whole, with line numbers, when any line is wrong)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.funding.helpers import key
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.models import AuditLog
from tremplin.funding.enums import ContributionSource, ContributionState
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution
from tremplin.funding.offline import import_offline_csv, record_offline, record_offline_refund
from tremplin.funding.offline_csv import (
    CSV_COLUMNS,
    CSV_MAX_BYTES,
    CSVImportError,
    parse_offline_csv,
)

pytestmark = pytest.mark.django_db

D = Decimal
HEADER = "date;montant;nom;email;mode;reference;anonyme"


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _good_lines(count: int = 8) -> list[str]:
    today = _today()
    modes = ["chèque", "espèces", "virement", "cheque", "especes", "Virement", "CASH", "transfer"]
    return [
        f"{today};{10 + i},50;Contributeur {i};c{i}@example.org;{modes[i % len(modes)]};REF-{i};"
        + ("oui" if i % 2 else "non")
        for i in range(count)
    ]


def _csv(lines: list[str], header: str = HEADER, bom: bool = False) -> bytes:
    text = "\r\n".join([header, *lines]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _totals(campaign):
    campaign.refresh_from_db()
    return campaign.raised_amount, campaign.contributor_count


# --- one offline contribution -----------------------------------------------------------------


def _offline_url(organiser, campaign) -> str:
    return reverse("funding_manage:offline", args=[organiser.slug, campaign.slug])


def _offline_data(**overrides) -> dict:
    return {
        "amount": "150,00",
        "source": "cheque",
        "received_on": timezone.localdate().isoformat(),
        "name": "Famille Dupont",
        "email": "",
        "reference": "CHQ 0012345",
        "key": key(),
        **overrides,
    }


def test_organiser_records_a_cheque(client_for, manager, organiser, campaign):
    browser = client_for(manager)
    data = _offline_data()
    response = browser.post(_offline_url(organiser, campaign), data)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.state == ContributionState.CONFIRMED
    assert contribution.source == ContributionSource.CHEQUE
    assert contribution.amount == D("150.00")
    assert contribution.offline_reference == "CHQ 0012345"
    assert contribution.recorded_by == manager
    assert _totals(campaign) == (D("150.00"), 1)
    assert AuditLog.objects.filter(action="tremplin.contribution.offline_recorded").count() == 1
    # The same form posted twice records it once.
    browser.post(_offline_url(organiser, campaign), data)
    assert Contribution.objects.count() == 1
    assert _totals(campaign) == (D("150.00"), 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-3"}, "amount"),
        ({"amount": "0,001"}, "amount"),
        ({"amount": "1e9"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "2000000"}, "amount"),
        ({"source": "bitcoin"}, "source"),
        ({"source": "online"}, "source"),
        ({"name": ""}, "name"),
        ({"name": "<b>x</b>"}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"reference": "x" * 101}, "reference"),
        ({"received_on": "demain"}, "received_on"),
        ({"received_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "received_on"),
        ({"received_on": "2001-01-01"}, "received_on"),
    ],
)
def test_bad_offline_input_is_a_400(client_for, manager, organiser, campaign, overrides, field):
    response = client_for(manager).post(
        _offline_url(organiser, campaign), _offline_data(**overrides)
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Contribution.objects.exists()
    assert _totals(campaign) == (D("0.00"), 0)


def test_offline_html_is_shown_escaped(client_for, manager, organiser, campaign):
    payload = "<img src=x onerror=alert(1)>"
    response = client_for(manager).post(
        _offline_url(organiser, campaign), _offline_data(reference=payload)
    )
    assert response.status_code == 302
    page = client_for(manager).get(_offline_url(organiser, campaign)).content.decode()
    assert payload not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize(
    "state",
    [CampaignState.DRAFT, CampaignState.SCHEDULED, CampaignState.FAILED, CampaignState.SETTLED],
)
def test_offline_refused_outside_live_or_kept_money(
    client_for, manager, organiser, campaign, state
):
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    browser = client_for(manager)
    page = browser.get(_offline_url(organiser, campaign))
    assert page.status_code == 200
    assert page.context["refused"] is not None
    response = browser.post(_offline_url(organiser, campaign), _offline_data())
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_offline_after_a_successful_close_counts(client_for, manager, organiser, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SUCCEEDED)
    response = client_for(manager).post(_offline_url(organiser, campaign), _offline_data())
    assert response.status_code == 302
    assert _totals(campaign) == (D("150.00"), 1)


def test_maker_records_an_offline_contribution(client_for, campaign):
    maker = campaign.application.maker
    url = reverse("funding:offline_maker", args=[campaign.slug])
    browser = client_for(maker)
    assert browser.get(url).status_code == 200
    response = browser.post(url, _offline_data(source="cash", amount="35"))
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.source == ContributionSource.CASH
    assert contribution.recorded_by == maker
    assert _totals(campaign) == (D("35.00"), 1)
    bad = browser.post(url, _offline_data(amount="abc"))
    assert bad.status_code == 400
    assert Contribution.objects.count() == 1


def test_offline_refund_by_hand(client_for, manager, organiser, campaign):
    row = OfflineRow(
        amount=D("40"), name="Espèces", source="cash", received_on=timezone.localdate()
    )
    contribution = record_offline(campaign, row, user=manager)
    url = reverse(
        "funding_manage:offline_refund", args=[organiser.slug, campaign.slug, contribution.pk]
    )
    assert client_for(manager).post(url).status_code == 302
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.REFUNDED
    assert _totals(campaign) == (D("0.00"), 0)
    client_for(manager).post(url)  # twice: nothing more
    assert _totals(campaign) == (D("0.00"), 0)


def test_online_contribution_cannot_be_refunded_by_hand(client_for, manager, organiser, campaign):
    from tests.funding.helpers import contribute

    contribution = contribute(campaign, "25")
    url = reverse(
        "funding_manage:offline_refund", args=[organiser.slug, campaign.slug, contribution.pk]
    )
    assert client_for(manager).post(url).status_code == 404
    with pytest.raises(FundingError):
        record_offline_refund(contribution, user=manager)


# --- CSV import: the service ----------------------------------------------------------------------


def test_good_file_is_imported_whole(campaign, manager):
    result = import_offline_csv(campaign, _csv(_good_lines(8)), user=manager, key=key())
    assert result.count == 8
    assert result.total == sum(D(f"{10 + i}.50") for i in range(8))
    assert _totals(campaign) == (result.total, 8)
    sources = set(Contribution.objects.values_list("source", flat=True))
    assert sources == {"cheque", "cash", "transfer"}
    assert Contribution.objects.filter(hide_name=True).count() == 4
    assert AuditLog.objects.filter(action="tremplin.contributions.imported").count() == 1


def test_bom_and_iso_dates_and_optional_columns(campaign, manager):
    today = timezone.localdate().isoformat()
    data = _csv(
        [f"{today};1 500,00;Entreprise Martin;;virement"],
        header="date;montant;nom;email;mode",
        bom=True,
    )
    result = import_offline_csv(campaign, data, user=manager, key=key())
    assert result.count == 1
    assert Contribution.objects.get().amount == D("1500.00")


def test_same_upload_twice_imports_once(campaign, manager):
    same = key()
    data = _csv(_good_lines(3))
    import_offline_csv(campaign, data, user=manager, key=same)
    again = import_offline_csv(campaign, data, user=manager, key=same)
    assert again.count == 3
    assert Contribution.objects.count() == 3


def test_references_already_recorded_are_refused(campaign, manager):
    import_offline_csv(campaign, _csv(_good_lines(3)), user=manager, key=key())
    with pytest.raises(CSVImportError) as caught:
        import_offline_csv(campaign, _csv(_good_lines(3)), user=manager, key=key())
    assert [line for line, _m in caught.value.errors] == [2, 3, 4]
    assert Contribution.objects.count() == 3


def test_the_parser_is_pure(campaign, django_assert_num_queries):
    """``parse_offline_csv`` reads nothing from the database and writes nothing: the
    references already recorded are passed in by the caller."""
    with django_assert_num_queries(0):
        rows = parse_offline_csv(campaign, _csv(_good_lines(3)))
    assert [line for line, _row in rows] == [2, 3, 4]
    assert rows[0][1] == OfflineRow(
        amount=D("10.50"),
        name="Contributeur 0",
        source="cheque",
        received_on=timezone.localdate(),
        email="c0@example.org",
        reference="REF-0",
        hide_name=False,
    )
    with django_assert_num_queries(0), pytest.raises(CSVImportError) as caught:
        parse_offline_csv(campaign, _csv(_good_lines(3)), existing_references={("cash", "REF-1")})
    assert [line for line, _m in caught.value.errors] == [3]
    assert not Contribution.objects.exists()


def _refused(campaign, manager, data: bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(CSVImportError) as caught:
        import_offline_csv(campaign, data, user=manager, key=key())
    assert not Contribution.objects.exists()
    assert _totals(campaign) == (D("0.00"), 0)
    return caught.value.errors


def test_bad_amount_on_line_7_refuses_the_whole_file(campaign, manager):
    lines = _good_lines(8)
    lines[5] = lines[5].replace("15,50", "douze")  # the 6th data line is line 7 of the file
    errors = _refused(campaign, manager, _csv(lines))
    assert len(errors) == 1
    assert errors[0][0] == 7
    assert "douze" in errors[0][1]


def test_comma_separated_file_is_refused(campaign, manager):
    text = HEADER.replace(";", ",") + "\n" + _today() + ",10,Camille,,cheque,,non\n"
    errors = _refused(campaign, manager, text.encode())
    assert errors[0][0] == 1
    assert "semicolons" in errors[0][1]


def test_missing_column_is_refused(campaign, manager):
    errors = _refused(
        campaign, manager, _csv([f"{_today()};10;Camille;;"], header="date;montant;nom;email")
    )
    assert errors == [(1, "missing column(s): mode.")]


def test_unknown_column_is_refused(campaign, manager):
    errors = _refused(
        campaign,
        manager,
        _csv([f"{_today()};10;Camille;chèque;x"], header="date;montant;nom;mode;couleur"),
    )
    assert errors[0][0] == 1
    assert "couleur" in errors[0][1]


@pytest.mark.parametrize(
    ("bad_line", "needle"),
    [
        ("32/13/2025;10;Camille;;chèque;;non", "is not a date"),
        ("hier;10;Camille;;chèque;;non", "is not a date"),
        ("{future};10;Camille;;chèque;;non", "future"),
        ("{today};10;Camille;;bitcoin;;non", "unknown"),
        ("{today};10;Camille;;<script>alert(1)</script>;;non", "unknown"),
        ("{today};10;<b>Camille</b>;;chèque;;non", "< or >"),
        ("{today};10;;;chèque;;non", "Enter a name"),
        ("{today};10;Camille;pas-une-adresse;chèque;;non", "valid e-mail"),
        ("{today};10;Camille;;chèque;;peut-être", "oui or non"),
        ("{today};0;Camille;;chèque;;non", "more than zero"),
        ("{today};-5;Camille;;chèque;;non", "more than zero"),
        ("{today};0,001;Camille;;chèque;;non", "two decimals"),
        ("{today};1e9;Camille;;chèque;;non", "refused"),
        ("{today};NaN;Camille;;chèque;;non", "refused"),
        ("{today};10;Camille;;chèque", "columns instead of 7"),
        ("{today};10;Camille;;chèque;" + "x" * 101 + ";non", "more than 100"),
    ],
)
def test_bad_lines_are_refused_with_their_number(campaign, manager, bad_line, needle):
    lines = _good_lines(3)
    today = timezone.localdate()
    lines.insert(
        1,
        bad_line.format(
            today=today.strftime("%d/%m/%Y"),
            future=(today + timedelta(days=2)).strftime("%d/%m/%Y"),
        ),
    )
    errors = _refused(campaign, manager, _csv(lines))
    assert errors[0][0] == 3
    assert any(needle in message for _line, message in errors), errors


def test_every_bad_line_is_listed(campaign, manager):
    lines = _good_lines(10)
    lines[1] = lines[1].replace("chèque", "troc").replace("espèces", "troc")
    lines[8] = lines[8].replace(_today(), "hier")
    errors = _refused(campaign, manager, _csv(lines))
    assert [line for line, _m in errors] == [3, 10]


def test_duplicate_reference_within_the_file(campaign, manager):
    lines = _good_lines(2)
    lines.append(lines[0])
    errors = _refused(campaign, manager, _csv(lines))
    assert errors[0][0] == 4
    assert "line 2" in errors[0][1]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (HEADER.encode(), "no contribution"),
        ("date;montant\n".encode("utf-16"), "UTF-8"),
        (b"\xff\xfe\x00\x01garbage", "UTF-8"),
        (b"date;montant;nom;mode\x00\n", "not a CSV"),
        (b"x" * (CSV_MAX_BYTES + 1), "too large"),
    ],
)
def test_unreadable_files_are_refused(campaign, manager, data, needle):
    errors = _refused(campaign, manager, data)
    assert needle in errors[0][1]


def test_import_refused_when_the_campaign_is_not_live(campaign, manager):
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.DRAFT)
    campaign.refresh_from_db()
    _refused(campaign, manager, _csv(_good_lines(2)))


# --- CSV import: the page ----------------------------------------------------------------------


def _import_url(organiser, campaign) -> str:
    return reverse("funding_manage:import", args=[organiser.slug, campaign.slug])


def _upload(data: bytes, name: str = "dons.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_import_page_documents_the_columns(client_for, manager, organiser, campaign):
    body = client_for(manager).get(_import_url(organiser, campaign)).content.decode()
    for column in CSV_COLUMNS:
        assert f"<code>{column}</code>" in body


def test_import_page_good_file(client_for, manager, organiser, campaign):
    response = client_for(manager).post(
        _import_url(organiser, campaign), {"file": _upload(_csv(_good_lines(4))), "key": key()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "funding_manage:contributions", args=[organiser.slug, campaign.slug]
    )
    assert Contribution.objects.count() == 4


def test_import_page_bad_file_lists_the_lines_escaped(client_for, manager, organiser, campaign):
    lines = _good_lines(8)
    cells = lines[5].split(";")
    cells[4] = "<script>alert(1)</script>"
    lines[5] = ";".join(cells)
    response = client_for(manager).post(
        _import_url(organiser, campaign), {"file": _upload(_csv(lines)), "key": key()}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 7:" in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    assert not Contribution.objects.exists()


def test_import_page_without_a_file_is_a_400(client_for, manager, organiser, campaign):
    response = client_for(manager).post(_import_url(organiser, campaign), {"key": key()})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_import_page_oversized_file_is_a_400(client_for, manager, organiser, campaign):
    data = b"x" * (CSV_MAX_BYTES + 10)
    response = client_for(manager).post(
        _import_url(organiser, campaign), {"file": _upload(data), "key": key()}
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_offline_contributor_with_an_email_is_thanked(
    campaign, manager, django_capture_on_commit_callbacks
):
    from django.core import mail

    row = OfflineRow(
        amount=D("40"),
        name="Camille",
        source="cheque",
        received_on=timezone.localdate(),
        email="camille@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_offline(campaign, row, user=manager)
        import_offline_csv(campaign, _csv(_good_lines(2)), user=manager, key=key())
    assert [m.to for m in mail.outbox] == [["camille@example.org"]]
    assert "is recorded" in mail.outbox[0].body or "enregistr" in mail.outbox[0].body
