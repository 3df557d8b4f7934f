"""The organiser's personal data page: notices, retention periods (validated), the record
of processing (page and XLSX); another organiser → 404, viewers read only, anonymous →
log-in."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import login
from tests.factories import ProgrammeFactory, UserFactory
from tremplin.privacy.erasure import erase_account
from tremplin.privacy.models import ErasureNotice, ProgrammeRetention

pytestmark = pytest.mark.django_db

HOME = "/gestion/mel/donnees-personnelles/"


@pytest.fixture
def notice(organiser):
    from tests.factories import MembershipFactory

    leaving = MembershipFactory(organiser=organiser).user
    erase_account(leaving)
    return ErasureNotice.objects.get(organiser=organiser)


def test_the_team_sees_the_notice_and_marks_it_read(manager, viewer, notice):
    page = login(viewer).get(HOME)
    assert page.status_code == 200 and notice.pseudonym.encode() in page.content
    path = f"{HOME}avis/{notice.pk}/lu/"
    assert login(viewer).post(path).status_code == 403
    assert login(manager).post(path).status_code == 302
    notice.refresh_from_db()
    assert notice.acknowledged_by == manager and notice.acknowledged_at


def test_another_organiser_and_anonymous_are_refused(other_manager, notice):
    assert login(other_manager).get(HOME).status_code == 404
    assert login(other_manager).post(f"{HOME}avis/{notice.pk}/lu/").status_code == 404
    assert login(other_manager).get(f"{HOME}registre.xlsx").status_code == 404
    response = Client().get(HOME)
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_another_organisers_notice_is_404(manager, other_organiser):
    from tests.factories import MembershipFactory

    erase_account(MembershipFactory(organiser=other_organiser).user)
    theirs = ErasureNotice.objects.get(organiser=other_organiser)
    assert login(manager).post(f"{HOME}avis/{theirs.pk}/lu/").status_code == 404


def test_a_programme_keeps_its_applications_longer_within_the_limits(manager, viewer, organiser):
    programme = ProgrammeFactory(organiser=organiser, slug="makers-x")
    path = f"{HOME}conservation/makers-x/"
    assert login(viewer).get(path).status_code == 200
    assert login(viewer).post(path, {"draft_years": "2"}).status_code == 403
    ok = login(manager).post(
        path, {"draft_years": "2", "not_selected_years": "", "laureate_years": "15"}
    )
    assert ok.status_code == 302
    kept = ProgrammeRetention.objects.get(programme=programme)
    assert (kept.draft_years, kept.not_selected_years, kept.laureate_years) == (2, None, 15)
    assert b"15" in login(manager).get(HOME).content


@pytest.mark.parametrize(
    "value", ["0", "-1", "99", "9" * 40, "a\x00b", "<script>", "1e308", "NaN", "x" * 10000]
)
def test_bad_periods_are_refused_and_change_nothing(manager, organiser, value):
    ProgrammeFactory(organiser=organiser, slug="makers-y")
    response = login(manager).post(
        f"{HOME}conservation/makers-y/", {"draft_years": value, "laureate_years": value}
    )
    assert response.status_code == 400
    assert not ProgrammeRetention.objects.exists()


def test_another_organisers_programme_is_404(manager, other_organiser):
    ProgrammeFactory(organiser=other_organiser, slug="theirs")
    assert login(manager).get(f"{HOME}conservation/theirs/").status_code == 404


def test_the_record_of_processing_page_and_xlsx(manager, organiser, settings):
    settings.RETENTION_NOT_SELECTED_YEARS = 3
    page = login(manager).get(f"{HOME}registre/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    for needle in ("Call for projects", "Crowdfunding campaigns", "Legal basis", "6.1.e"):
        assert needle in text
    response = login(manager).get(f"{HOME}registre.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = " ".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)
    assert organiser.name in cells
    assert "3" in cells and "funding.Contribution" in " ".join(
        str(c.value) for row in book.worksheets[1].iter_rows() for c in row if c.value
    )


def test_the_record_reads_a_programmes_longer_period(manager, organiser):
    programme = ProgrammeFactory(organiser=organiser, name="Makers Long")
    ProgrammeRetention.objects.create(programme=programme, laureate_years=18)
    page = login(manager).get(f"{HOME}registre/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Makers Long" in page and "laureates: 18 year(s)" in page


def test_the_dashboard_and_the_back_office_link_the_pages(manager):
    client = login(manager)
    assert b"/mon-compte/donnees/" in client.get("/tableau-de-bord/").content
    assert HOME.encode() in client.get("/gestion/mel/").content


def test_a_signed_in_person_without_organiser_gets_404(db, organiser):
    assert login(UserFactory()).get(HOME).status_code == 404
