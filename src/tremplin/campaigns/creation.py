"""Creating a campaign from an application, the programme's crowdfunding settings, and the
campaign's coach."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.html import linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.campaigns.enums import RULE_LOCKING_STATES
from tremplin.campaigns.errors import CampaignError, refuse
from tremplin.campaigns.lifecycle import lock_campaign
from tremplin.campaigns.mails import mail_coach, mail_maker
from tremplin.campaigns.models import Campaign, CampaignImage, CampaignSettings
from tremplin.campaigns.page import MAX_IMAGES
from tremplin.campaigns.rules import is_organiser_editor
from tremplin.campaigns.sanitize import sanitize_html
from tremplin.core.audit import log_action
from tremplin.core.models import OrganiserMembership, User

CREATION_STATES = (
    ProgrammeState.CALL_CLOSED,
    ProgrammeState.SCREENING,
    ProgrammeState.JURY,
    ProgrammeState.DELIBERATION,
    ProgrammeState.RESULTS,
    ProgrammeState.CAMPAIGNS_LIVE,
)


def settings_for(programme: Programme) -> CampaignSettings:
    """The programme's crowdfunding rules, created with the defaults when missing."""
    settings, _created = CampaignSettings.objects.get_or_create(programme=programme)
    return settings


def unique_slug(title: str) -> str:
    base = (slugify(title) or "campagne")[:70].strip("-") or "campagne"
    slug, number = base, 1
    while Campaign.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _copy_images(application: Application, campaign: Campaign) -> None:
    """The application's images (already cleaned at upload) start the campaign's gallery."""
    for position, image in enumerate(application.images.all()[:MAX_IMAGES], start=1):
        try:
            with image.image.open("rb") as handle:
                content = ContentFile(handle.read(), name=image.image.name.rsplit("/", 1)[-1])
        except (FileNotFoundError, ValueError, OSError):
            continue
        copy = CampaignImage(campaign=campaign, alt_text=image.alt_text, position=position)
        copy.image.save(content.name, content, save=False)
        copy.save()


def create_campaign(application: Application, *, user) -> Campaign:
    """A draft campaign for a laureate (or any submitted, eligible application the organiser
    selects), pre-filled from the application: title, pitch (its summary), description, goal
    (its funding goal), video, images, and the programme's campaign dates."""
    programme = application.programme
    membership = OrganiserMembership.objects.filter(
        organiser_id=programme.organiser_id, user=user
    ).first()
    if membership is None or not membership.can_edit:
        raise refuse()
    if application.state != ApplicationState.SUBMITTED:
        raise CampaignError(_("Only a submitted application can become a campaign."))
    if application.eligibility == Eligibility.INELIGIBLE:
        raise CampaignError(_("An ineligible application cannot become a campaign."))
    if programme.state not in CREATION_STATES:
        raise CampaignError(_("Campaigns can be created once the call for projects is closed."))
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        if Campaign.objects.filter(application=application).exists():
            raise CampaignError(_("This application already has a campaign."), code="duplicate")
        settings_for(programme)
        goal = application.funding_goal or programme.min_goal
        campaign = Campaign(  # a DRAFT: the state's default
            programme=programme,
            application=application,
            slug=unique_slug(application.title),
            title=application.title[:120],
            pitch=(application.summary or "")[:300],
            description=sanitize_html(linebreaks(application.description or "", autoescape=True)),
            video_url=application.video_url,
            goal=goal,
            starts_at=programme.campaigns_start_at,
            ends_at=programme.campaigns_end_at,
        )
        try:
            with transaction.atomic():
                campaign.save()
        except IntegrityError:
            raise CampaignError(
                _("This application already has a campaign."), code="duplicate"
            ) from None
        _copy_images(application, campaign)
        log_action(
            "tremplin.campaign.created",
            obj=campaign,
            user=user,
            data={"application": application.reference, "title": campaign.title},
        )
        mail_maker(campaign, "created")
    return campaign


def save_settings(settings: CampaignSettings, *, user, changed: list[str]) -> CampaignSettings:
    """Save a programme's crowdfunding rules. The funding rule cannot change once one of its
    campaigns is live: contributors gave under the rule they were shown."""
    membership = OrganiserMembership.objects.filter(
        organiser_id=settings.programme.organiser_id, user=user
    ).first()
    if membership is None or not membership.can_edit:
        raise refuse()
    if settings.min_contribution > settings.max_contribution:
        raise CampaignError(_("The minimum contribution cannot exceed the maximum."))
    with transaction.atomic():
        if settings.pk and "funding_rule" in changed and rule_is_locked(settings.programme):
            raise CampaignError(
                _("The funding rule cannot change once a campaign of the programme is live."),
                code="rule_locked",
            )
        created = settings.pk is None
        settings.save()
        log_action(
            "tremplin.campaign_settings.changed",
            obj=settings.programme,
            user=user,
            data={"changed": changed, "created": created},
        )
    return settings


def save_matched_counts_toward_goal(programme: Programme, counts: bool) -> CampaignSettings:
    """Whether the programme's matched funds count toward its campaigns' goals (edited on
    the matchfunding pot's page, whose save logs the change), in the caller's transaction."""
    settings = settings_for(programme)
    if settings.matched_counts_toward_goal != counts:
        settings.matched_counts_toward_goal = counts
        settings.save(update_fields=["matched_counts_toward_goal"])
    return settings


def rule_is_locked(programme: Programme) -> bool:
    return Campaign.objects.filter(programme=programme, state__in=RULE_LOCKING_STATES).exists()


def assign_coach(campaign: Campaign, *, user, coach: User | None) -> Campaign:
    if not is_organiser_editor(user, campaign):
        raise refuse()
    if coach is not None and not coach.is_coach:
        raise CampaignError(_("This person is not a coach."))
    with transaction.atomic():
        locked = lock_campaign(campaign)
        previous = locked.coach
        if previous == coach:
            campaign.refresh_from_db()
            return campaign
        locked.coach = coach
        locked.save(update_fields=["coach", "updated_at"])
        log_action(
            "tremplin.campaign.coach_assigned",
            obj=locked,
            user=user,
            data={"member": str(coach) if coach else "", "previous": str(previous or "")},
        )
        if coach is not None:
            mail_coach(locked, "coach_assigned", state=locked.state)
    campaign.refresh_from_db()
    return campaign
