"""Erasure of the data the newer apps declare (coaching, kit, donors): a laureate leaving
takes their coaching space and their kit with them, keeps their tax receipt as issued, and
gives their place at a workshop to come to the first person waiting; a coach leaving
leaves the makers' records in place, emptied of their name."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.storage import default_storage

from tests.privacy.conftest import MARK, build_full
from tremplin.coaching.enums import RegistrationState
from tremplin.coaching.models import (
    Attachment,
    ChecklistTick,
    CoachNote,
    FirstCircleContact,
    MeetingSlot,
    Message,
    ThreadPreference,
    Workshop,
    WorkshopRegistration,
)
from tremplin.donors.models import Receipt, SpaceCode
from tremplin.funding import ledger
from tremplin.kit.models import KitItem, KitVersion
from tremplin.privacy.erasure import erase_account

pytestmark = pytest.mark.django_db


def test_a_laureate_leaving_takes_their_coaching_space_and_kit(
    organiser, django_capture_on_commit_callbacks
):
    full = build_full(organiser)
    campaign = full.objects["campaign"]
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(full.user)
    # the whole thread of their campaign (the coach's answer too), its attachment's file
    assert not Message.objects.filter(campaign=campaign).exists()
    assert not Attachment.objects.filter(message__campaign=campaign).exists()
    assert not default_storage.exists(full.objects["attachment"])
    # the coach's private note about them, their checklist, first circle, meetings,
    # notification choice
    for model in (CoachNote, ChecklistTick, FirstCircleContact, MeetingSlot, ThreadPreference):
        assert not model.objects.filter(campaign=campaign).exists(), model
    assert not ThreadPreference.objects.filter(user_id=full.user.pk).exists()
    # their kit's items and files (name and photo printed on them); the versions stay
    assert not KitItem.objects.filter(version__campaign=campaign).exists()
    assert not default_storage.exists(full.objects["kit_file"])
    assert KitVersion.objects.filter(campaign=campaign).exists()
    # the tax receipt is kept as issued (legal period), its contribution pseudonymised
    receipt = Receipt.objects.get(pk=full.objects["receipt"].pk)
    assert receipt.donor_name == f"Camille {MARK}" and receipt.donor_email == full.email
    assert receipt.contribution.email == "" and receipt.contribution.user is None
    assert not SpaceCode.objects.filter(email=full.email).exists()
    assert ledger.audit().clean


def test_a_place_at_a_workshop_to_come_goes_to_the_first_person_waiting(
    organiser, django_capture_on_commit_callbacks
):
    full = build_full(organiser, laureate=False, refund=False)
    waiting = full.objects["waiting"]
    assert waiting.state == RegistrationState.WAITING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(full.user)
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.CONFIRMED and waiting.promoted_at
    assert "sam@example.org" in [m.to[0] for m in mail.outbox]
    # every registration of the person is gone, by account and by address; the past
    # workshop and the full one stay
    assert not WorkshopRegistration.objects.filter(pk=full.objects["place"].pk).exists()
    assert not WorkshopRegistration.objects.filter(pk=full.objects["registration"].pk).exists()
    assert Workshop.objects.count() == 3
    # named in someone else's first circle (by address): gone too
    assert not FirstCircleContact.objects.filter(pk=full.objects["listed_as_contact"].pk).exists()


def test_a_coach_leaving_leaves_the_makers_records_without_their_name(organiser):
    full = build_full(organiser, laureate=False, refund=False)
    erase_account(full.user)
    objects = full.objects
    # their own message goes; what they did for others stays, without them
    assert not Message.objects.filter(pk=objects["coach_message"].pk).exists()
    note = CoachNote.objects.get(pk=objects["coach_note"].pk)
    assert note.author is None and note.body == "Needs a better video."
    assert MeetingSlot.objects.get(pk=objects["coach_slot"].pk).coach is None
    tick = ChecklistTick.objects.get(pk=objects["coach_tick"].pk)
    assert tick.confirmed_by is None and tick.ticked_by_id  # the other maker's tick
    assert Workshop.objects.get(pk=objects["coach_workshop"].pk).created_by is None
    assert KitVersion.objects.get(pk=objects["coach_kit_version"].pk).released_by is None
    item = KitItem.objects.get(pk=objects["coach_kit_item"].pk)
    assert item.edited_by is None and item.body == "Un atelier vélo."


def test_an_alert_acknowledged_keeps_its_history_without_the_note_or_its_author(organiser):
    from tremplin.tracking.models import Alert, DigestDelivery, DigestPreference

    full = build_full(organiser, laureate=False, refund=False)
    erase_account(full.user)
    alert = Alert.objects.get(pk=full.objects["alert"].pk)
    assert alert.acknowledged_at and alert.acknowledged_by is None and alert.note == ""
    # nor does the audit log keep the note's words (it says a note was written)
    from tremplin.core.models import AuditLog

    assert not any("newsletter" in repr(entry.data) for entry in AuditLog.objects.all())
    assert not DigestPreference.objects.filter(user_id=full.user.pk).exists()
    assert not DigestDelivery.objects.filter(user_id=full.user.pk).exists()


def test_past_editions_and_reports_stay_without_who_imported_or_asked(organiser):
    from tremplin.tracking.models import FinalReport, PastCampaign, PastEdition

    full = build_full(organiser, laureate=False, refund=False)
    erase_account(full.user)
    assert PastEdition.objects.get(pk=full.objects["past_edition"].pk).imported_by is None
    assert FinalReport.objects.get(pk=full.objects["final_report"].pk).requested_by is None
    # the published results of a past edition are not the importer's data: they stay
    assert PastCampaign.objects.get(pk=full.objects["past_campaign"].pk).maker == "Jeanne Ancienne"


def test_a_partner_members_relay_stays_the_partners_without_them(organiser):
    from tremplin.kit.models import RelayMark

    full = build_full(organiser, laureate=False, refund=False)
    erase_account(full.user)
    mark = RelayMark.objects.get(pk=full.objects["relay_mark"].pk)
    assert mark.created_by is None and mark.partner_id and mark.detail
