"""Export (GDPR arts. 15 and 20): every kind of data the registry declares is in the ZIP
(JSON, CSV, files), ballots only once their jury is published, prepared by the task, the
link e-mailed, downloaded once, then gone; the same by e-mail address for a contributor
without an account."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories import UserFactory
from tests.privacy.conftest import MARK, build_full
from tremplin.privacy import exports
from tremplin.privacy.collect import section_name, write_zip
from tremplin.privacy.models import DataExport, ExportState
from tremplin.privacy.people import Person
from tremplin.privacy.registry import declarations

pytestmark = pytest.mark.django_db


def link_in(body: str) -> str:
    found = re.search(r"http://testserver(/donnees/telechargement/[^/\s]+/)", body)
    assert found, body
    return found.group(1)


def zip_of(person: Person) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_zip(person, buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def test_the_export_holds_a_record_of_every_declared_model(full):
    archive = zip_of(Person.of_user(full.user))
    data = json.loads(archive.read("data.json"))["sections"]
    empty = [
        d.model
        for d in declarations()
        if d.columns
        and not data.get(section_name(d))
        and d.model != "account.EmailConfirmation"
        and d.model != "admin.LogEntry"
    ]
    assert not empty, f"declared models missing from the export: {empty}"
    # and the admin log, the e-mail confirmation (allauth's own rows) when present
    assert data["admin_logentry"][0]["object_repr"] == f"admin {MARK}"
    text = archive.read("data.json").decode()
    for needle in (
        f"answer {MARK}",
        f"feedback {MARK}",
        f"news {MARK}",
        f"review {MARK}",
        f"comment {MARK}",
        f"msg {MARK}",
        f"recusal {MARK}",
        "0600000000",
        f"thread {MARK}",  # their coaching thread, the coach's answer and private note
        "Bravo !",
        f"coach note {MARK}",
        f"Camille {MARK} lance son projet.",  # their kit's texts
        "Dominique Ami",  # the first circle they listed
        f"3 place {MARK}",  # the tax receipt's donor address
    ):
        assert needle in text, needle
    # coaching: a registration by account and the place held by address; the first circle
    # of someone else's campaign that names them (by address)
    titles = {row["workshop__title"] for row in data["coaching_workshopregistration"]}
    assert titles == {"Atelier passé", "Atelier complet"}
    contacts = {row["email"] for row in data["coaching_firstcirclecontact"]}
    assert contacts == {"dominique@example.org", full.email}
    # as a coach elsewhere: their own message, not the other maker's private note
    assert "coach message" in text and "Needs a better video." not in text
    # tracking: the alert they acknowledged, with their note; their digest
    assert data["tracking_alert"][0]["note"].startswith("Called the maker")
    assert data["tracking_digestpreference"] == [
        {"enabled": True, "updated_at": data["tracking_digestpreference"][0]["updated_at"]}
    ]
    # the relay they marked for their partner organisation
    assert data["kit_relaymark"][0]["detail"] == "Our March newsletter"
    # the tax receipt, as issued
    (receipt,) = data["donors_receipt"]
    assert receipt["donor_name"] == f"Camille {MARK}" and receipt["amount"] == "40.00"
    # the contribution made signed out with the same address is there too
    amounts = {row["amount"] for row in data["funding_contribution"]}
    assert {"30.00", "15.00"} <= amounts
    # the ballot's votes (published jury)
    assert data["jury_votes"] and data["jury_votes"][0]["kind"] == "favourite"
    # CSV tables beside the JSON, and the files themselves
    names = set(archive.namelist())
    assert {"README.txt", "data.json", "calls_application.csv", "funding_contribution.csv"} <= names
    files = [n for n in names if n.startswith("files/")]
    # their application's image and file, their attachment in the thread, their kit
    assert {n.split("/")[1] for n in files} == {
        "calls_applicationimage",
        "calls_answer",
        "coaching_attachment",
        "kit_kititem",
    }
    assert any(archive.read(n).endswith(MARK.encode()) for n in files)
    # nothing of someone else
    assert "contributor" not in text.split('"funding_contribution"')[1].split("]")[0]


def test_ballots_stay_secret_until_the_jury_is_published(full):
    jury = full.objects["ballot"].jury
    jury.published_at = None
    jury.save(update_fields=["published_at"])
    data = json.loads(zip_of(Person.of_user(full.user)).read("data.json"))["sections"]
    assert data["jury_ballot"] == []
    assert data["jury_recusal"] == []
    assert data["jury_votes"] == []
    assert data["jury_jurymember"]  # the seat itself is no secret to its holder


def test_a_cell_starting_like_a_formula_is_quoted_in_the_csv(organiser):
    user = UserFactory(full_name="=HYPERLINK(1)")
    archive = zip_of(Person.of_user(user))
    assert "'=HYPERLINK(1)" in archive.read("core_user.csv").decode()


def test_export_by_address_finds_the_guest_contributions_only(full):
    data = json.loads(zip_of(Person.of_email(full.email)).read("data.json"))["sections"]
    # all three carry the address (two on the live campaign, the receipted gift)
    assert len(data["funding_contribution"]) == 3
    assert len(data["donors_receipt"]) == 1
    # the place held signed out, and the registration by account (same address)
    assert len(data["coaching_workshopregistration"]) == 2
    assert data["coaching_message"] == []  # found by account only
    assert data["calls_application"] == []  # found by account only
    assert data["core_user"] == []


def test_the_task_prepares_it_emails_the_link_and_it_downloads_once(
    full, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(user=full.user)
    export.refresh_from_db()
    assert export.state == ExportState.READY
    stored = export.file.name
    assert default_storage.exists(stored)
    message = mail.outbox[-1]
    assert message.to == [full.email]
    path = link_in(message.body)
    client = login(full.user)
    page = client.get(path)
    assert page.status_code == 200 and b"ZIP" in page.content
    response = client.post(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # the test client closes it at the end
    assert zipfile.ZipFile(io.BytesIO(body)).read("data.json")
    export.refresh_from_db()
    assert export.state == ExportState.DOWNLOADED and not export.file
    assert not default_storage.exists(stored)  # deleted once sent
    assert client.post(path).status_code == 410  # once
    # asking again gives a new export
    with django_capture_on_commit_callbacks(execute=True):
        again = exports.request_export(user=full.user)
    assert again.pk != export.pk


def test_asking_twice_while_one_is_pending_gives_the_same_export(full):
    first = exports.request_export(user=full.user)
    assert exports.request_export(user=full.user).pk == first.pk
    assert DataExport.objects.count() == 1


def test_someone_else_or_anonymous_gets_404_on_an_accounts_export(
    full, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(user=full.user)
    path = exports.download_path(export)
    assert login(UserFactory()).get(path).status_code == 404
    assert login(UserFactory()).post(path).status_code == 404
    from django.test import Client

    assert Client().get(path).status_code == 404
    export.refresh_from_db()
    assert export.state == ExportState.READY


@pytest.mark.parametrize(
    "token", ["x", "9" * 40, "a\x00b", "<script>", "y" * 500, "eyJ.forged:sig"]
)
def test_a_bad_or_forged_link_is_404(full, token):
    assert login(full.user).get(f"/donnees/telechargement/{token}/").status_code == 404
    assert login(full.user).get(f"/donnees/demande/{token}/").status_code == 404


def test_an_expired_link_does_not_download(full, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(user=full.user)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    response = login(full.user).post(exports.download_path(export))
    assert response.status_code == 410


def test_a_contributor_without_an_account_asks_by_the_signed_link(
    full, client, django_capture_on_commit_callbacks
):
    path = exports.request_link(full.email)
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response.status_code == 200
    export = DataExport.objects.get()
    assert export.user is None and export.email == full.email
    assert export.state == ExportState.READY
    link = link_in(mail.outbox[-1].body)
    assert mail.outbox[-1].to == [full.email]
    # anyone holding the link sent to that address downloads it, once
    response = client.post(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client.post(link).status_code == 410


def test_the_request_by_address_is_rate_limited(full, client):
    path = exports.request_link(full.email)
    statuses = [client.post(path).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429
    assert DataExport.objects.count() == 1


def test_the_account_page_asks_for_an_export(full, django_capture_on_commit_callbacks):
    client = login(full.user)
    page = client.get(reverse("privacy:account"))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"))
    assert response.status_code == 302
    page = client.get(reverse("privacy:account"))
    assert b"/donnees/telechargement/" in page.content


def test_the_account_pages_need_a_sign_in(client):
    for name in ("privacy:account", "privacy:export_request", "privacy:erase"):
        response = (
            client.post(reverse(name)) if name != "privacy:account" else client.get(reverse(name))
        )
        assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert DataExport.objects.count() == 0


def test_the_export_of_a_second_person_holds_nothing_of_the_first(organiser):
    build_full(organiser)
    other = UserFactory()
    text = zip_of(Person.of_user(other)).read("data.json").decode()
    assert MARK not in text
