"""The records of the apps that declare their personal data in their own
``personal_data.py`` (donors, coaching, kit, tracking), for ``conftest.build_full``: one
record of each declared model about the person, through the apps' services where they
have one."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.factories import ProgrammeFactory, UserFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.coaching.models import (
    Attachment,
    ChecklistTick,
    CoachNote,
    FirstCircleContact,
    MeetingSlot,
    Message,
    ThreadPreference,
    Workshop,
)
from tremplin.coaching.workshops import register
from tremplin.donors.models import ReceiptSettings, SpaceCode
from tremplin.donors.receipts import beneficiary_key, issue_receipt
from tremplin.funding.models import Contribution
from tremplin.kit.enums import ItemGroup, KitState
from tremplin.kit.models import KitItem, KitVersion


def workshop(programme, *, days: int, capacity: int = 10, **fields) -> Workshop:
    return Workshop.objects.create(
        programme=programme,
        title=fields.pop("title", "Réussir sa collecte"),
        description="Les bases d'une collecte.",
        place="La Fabrique",
        address="12 rue du Molinel, Lille",
        starts_at=timezone.now() + timedelta(days=days),
        capacity=capacity,
        audience="public",
        **fields,
    )


def receipt_of(user, email: str, mark: str, paid):
    """A gift to an association entitled to tax receipts, its campaign succeeded: the
    receipt issued by the donors' service."""
    campaign = CampaignFactory()
    contribution = paid(campaign, "40", user=user, email=email, name=f"Camille {mark}")
    Contribution.objects.filter(pk=contribution.pk).update(
        address=f"3 place {mark}", postal_code="59800", city="Lille", country="FR"
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        state=CampaignState.SUCCEEDED, closed_at=timezone.now()
    )
    values = {
        "legal_name": "Association Les Ateliers du Vélo",
        "identifier": "W595012345",
    }
    ReceiptSettings.objects.create(
        campaign=campaign,
        entitled=True,
        address="12 rue de la Clef",
        postal_code="59000",
        city="Lille",
        purpose="Promouvoir la réparation des vélos.",
        signatory="Marie Dupont, présidente",
        beneficiary_key=beneficiary_key(values["identifier"], values["legal_name"]),
        **values,
    )
    receipt = issue_receipt(contribution.pk, notify=False)
    assert receipt is not None and receipt.donor_email == email
    return receipt


def donors(user, email: str, mark: str, paid) -> dict:
    return {
        "receipt": receipt_of(user, email, mark, paid),
        "space_code": SpaceCode.objects.create(
            email=email, code_hash="0" * 64, expires_at=timezone.now() + timedelta(minutes=15)
        ),
    }


def as_maker(user, campaign, mark: str) -> dict:
    """The person's own campaign: checklist, first circle, the thread with their coach
    (an attachment), the coach's private note, a meeting booked, a kit."""
    coach = UserFactory(is_coach=True, full_name="Claire Coach")
    ChecklistTick.objects.create(
        campaign=campaign, key="story", ticked_by=user, ticked_at=timezone.now()
    )
    FirstCircleContact.objects.create(
        campaign=campaign, name="Dominique Ami", relation="cousin", email="dominique@example.org"
    )
    mine = Message.objects.create(
        campaign=campaign, author=user, body=f"thread {mark}", body_html=f"<p>thread {mark}</p>"
    )
    attachment = Attachment(message=mine, name=f"plan-{mark}.pdf", content_type="application/pdf")
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 " + mark.encode()), save=True)
    Message.objects.create(
        campaign=campaign, author=coach, body="Bravo !", body_html="<p>Bravo !</p>"
    )
    CoachNote.objects.create(campaign=campaign, author=coach, body=f"coach note {mark}")
    ThreadPreference.objects.create(campaign=campaign, user=user, mode="digest")
    MeetingSlot.objects.create(
        campaign=campaign,
        coach=coach,
        starts_at=timezone.now() - timedelta(days=20),
        place="La Fabrique",
        booked_at=timezone.now() - timedelta(days=22),
        booked_by=user,
    )
    version = KitVersion.objects.create(
        campaign=campaign, number=1, state=KitState.RELEASED, reason="approved", fingerprint="f"
    )
    item = KitItem.objects.create(
        version=version,
        kind="text_press",
        group=ItemGroup.TEXT,
        variant="press",
        language="fr",
        label="Communiqué",
        body=f"Camille {mark} lance son projet.",
    )
    item.file.save("affiche.pdf", ContentFile(b"%PDF-1.4 poster " + mark.encode()), save=True)
    return {"attachment": attachment.file.name, "kit_file": item.file.name, "coach": coach}


def as_coach(user, campaign, organiser) -> dict:
    """The person coaches someone else's campaign: their message, their slot, a tick
    confirmed, a workshop scheduled, a kit released and a text edited. Only their links
    as actors are about them (and their own message)."""
    message = Message.objects.create(
        campaign=campaign, author=user, body="coach message zq-marker", body_html="<p>…</p>"
    )
    slot = MeetingSlot.objects.create(
        campaign=campaign, coach=user, starts_at=timezone.now() + timedelta(days=5)
    )
    tick = ChecklistTick.objects.create(
        campaign=campaign,
        key="rewards",
        ticked_by=campaign.application.maker,
        ticked_at=timezone.now(),
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )
    scheduled = workshop(campaign.programme, days=10, created_by=user)
    note = CoachNote.objects.create(campaign=campaign, author=user, body="Needs a better video.")
    version = KitVersion.objects.create(
        campaign=campaign,
        number=1,
        state=KitState.RELEASED,
        reason="approved",
        fingerprint="f",
        released_by=user,
    )
    item = KitItem.objects.create(
        version=version,
        kind="text_press",
        group=ItemGroup.TEXT,
        variant="press",
        language="fr",
        label="Communiqué",
        body="Un atelier vélo.",
        edited_by=user,
        edited_at=timezone.now(),
    )
    return {
        "coach_message": message,
        "coach_slot": slot,
        "coach_tick": tick,
        "coach_workshop": scheduled,
        "coach_note": note,
        "coach_kit_version": version,
        "coach_kit_item": item,
    }


def registrations(user, email: str, mark: str, organiser, other_campaign) -> dict:
    """Workshops: a past one the person attended (account), a full one to come where they
    hold a place by address (signed out) and someone waits, and a first circle of someone
    else's campaign naming them."""
    programme = ProgrammeFactory(organiser=organiser, state=ProgrammeState.CAMPAIGNS_LIVE)
    past = workshop(programme, days=5, title="Atelier passé")
    attended = register(past, name=f"Camille {mark}", email=email, user=user)
    Workshop.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=30))
    type(attended).objects.filter(pk=attended.pk).update(attended=True)
    full = workshop(programme, days=7, capacity=1, title="Atelier complet")
    place = register(full, name=f"C. {mark}", email=email.upper())
    waiting = register(full, name="Sam Attente", email="sam@example.org")
    contact = FirstCircleContact.objects.create(
        campaign=other_campaign, name=f"Camille {mark}", relation="amie", email=email
    )
    return {
        "registration": attended,
        "place": place,
        "waiting": waiting,
        "listed_as_contact": contact,
    }


def tracking(user, campaign) -> dict:
    """The person (on the organiser's team) acknowledged an alert with a note, chose the
    daily digest and received one."""
    from tremplin.tracking.alerts import acknowledge_alert
    from tremplin.tracking.digest import set_digest_preference
    from tremplin.tracking.enums import AlertRule
    from tremplin.tracking.models import Alert, DigestDelivery

    now = timezone.now()
    alert = Alert.objects.create(
        campaign=campaign,
        rule=AlertRule.QUIET,
        opened_at=now,
        opened_on=now.date(),
        checked_at=now,
    )
    acknowledge_alert(alert.pk, user=user, note="Called the maker: a newsletter goes out today.")
    set_digest_preference(user, True)
    DigestDelivery.objects.create(user=user, day=now.date(), sent_at=now)
    return {"alert": alert}


def past_edition(organiser, *, user=None, end=None):
    """An edition run before the platform (as imported from its CSV), with one campaign
    and its maker's name as the authority published it."""
    from datetime import date

    from tremplin.tracking.models import PastCampaign, PastEdition

    end = end or date(2019, 6, 30)
    edition = PastEdition.objects.create(
        organiser=organiser,
        name=f"Tremplin {end.year}",
        year=end.year,
        campaigns_start=end - timedelta(days=45),
        campaigns_end=end,
        applications_count=40,
        laureates_count=1,
        imported_by=user,
    )
    campaign = PastCampaign.objects.create(
        edition=edition,
        maker="Jeanne Ancienne",
        title="La recyclerie",
        goal="3000",
        raised="3400",
        contributors=61,
        starts_on=edition.campaigns_start,
        ends_on=end,
    )
    return edition, campaign


def reports(user, organiser, programme) -> dict:
    """The person imported a past edition and asked for a programme's final report."""
    from tremplin.tracking.models import FinalReport

    edition, past = past_edition(organiser, user=user)
    report = FinalReport.objects.create(programme=programme, requested_by=user)
    return {"past_edition": edition, "past_campaign": past, "final_report": report}


def relay(user, partner, campaign) -> dict:
    """The person, a partner member, marked that their organisation relayed a campaign."""
    from tremplin.kit.models import RelayMark

    mark = RelayMark.objects.create(
        partner=partner,
        campaign=campaign,
        relayed_on=timezone.now().date(),
        place="newsletter",
        detail="Our March newsletter",
        created_by=user,
    )
    return {"relay_mark": mark}
