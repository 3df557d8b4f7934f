"""Timed tips: e-mails to the maker of a live campaign at fixed moments (launch day, days
1–5, day 8, the mid-campaign slump, 5, 3, 2 and 1 days before the end), each with its
condition, texts in French and English, configurable per programme (a default ships).

``send_due_tips`` (``tremplin coaching-tips``, from cron) decides each tip once per
campaign on its day: a ``TipSent`` row is claimed by a conditional UPDATE of
``decided_at``, so two workers never send a tip twice; a tip whose condition does not hold
on its day is recorded as skipped, and one whose day has passed (the job did not run) is
not sent late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.coaching import actions, mails, pace
from tremplin.coaching.enums import TipCondition, TipMoment, TipOutcome
from tremplin.coaching.models import TipRule, TipSent
from tremplin.core.audit import log_action

WINDOW = timedelta(days=1)  # a tip is sent on its day, never later
NO_NEWS_DAYS = 7

D = TipCondition
# moment: (condition, subject FR, subject EN, text FR, text EN)
DEFAULT_TIPS: dict[str, tuple[str, str, str, str, str]] = {
    TipMoment.DAY_0: (
        D.ALWAYS,
        "C'est parti ! Votre collecte est en ligne",
        "You are live! Your campaign has started",
        "Votre page est en ligne. Aujourd'hui, écrivez personnellement à votre premier cercle : "
        "les premières contributions donnent confiance aux suivantes.",
        "Your page is live. Today, write personally to your first circle: the first "
        "contributions give confidence to the next ones.",
    ),
    TipMoment.DAY_1: (
        D.ALWAYS,
        "Jour 1 : remerciez vos premiers contributeurs",
        "Day 1: thank your first contributors",
        "Remerciez chaque contributeur dès aujourd'hui et partagez la page sur vos réseaux.",
        "Thank each contributor today and share the page on your networks.",
    ),
    TipMoment.DAY_2: (
        D.ALWAYS,
        "Jour 2 : relancez ceux qui n'ont pas encore répondu",
        "Day 2: follow up with those who have not answered",
        "Une relance courte et personnelle suffit souvent.",
        "A short, personal follow-up is often enough.",
    ),
    TipMoment.DAY_3: (
        D.BELOW_PACE,
        "Jour 3 : accélérez le démarrage",
        "Day 3: speed up the start",
        "Votre collecte avance moins vite que le temps : demandez à trois proches de la "
        "partager aujourd'hui.",
        "Your campaign is slower than the clock: ask three friends to share it today.",
    ),
    TipMoment.DAY_4: (
        D.ALWAYS,
        "Jour 4 : parlez de votre projet autour de vous",
        "Day 4: talk about your project around you",
        "Commerces, associations, voisins : affichez votre affiche et votre QR code.",
        "Shops, associations, neighbours: put up your poster and its QR code.",
    ),
    TipMoment.DAY_5: (
        D.ALWAYS,
        "Jour 5 : contactez la presse locale",
        "Day 5: contact the local press",
        "Envoyez votre dossier de presse aux médias locaux avec une photo.",
        "Send your press kit to the local media with a photo.",
    ),
    TipMoment.DAY_8: (
        D.NO_NEWS_7_DAYS,
        "Jour 8 : donnez des nouvelles",
        "Day 8: post some news",
        "Une actualité (un chiffre, une photo de l'atelier) relance l'intérêt.",
        "A news post (a figure, a photo of the workshop) revives the interest.",
    ),
    TipMoment.SLUMP: (
        D.BELOW_PACE,
        "Mi-parcours : le creux du milieu",
        "Half-way: the mid-campaign slump",
        "Toutes les collectes ralentissent au milieu. Annoncez une nouvelle contrepartie ou "
        "un palier, et relancez vos relais.",
        "Every campaign slows down half-way. Announce a new reward or a milestone and "
        "prompt your relays again.",
    ),
    TipMoment.END_5: (
        D.ALWAYS,
        "Plus que 5 jours",
        "5 days left",
        "Préparez le sprint final : listez ceux qui ont promis sans avoir encore contribué.",
        "Prepare the final sprint: list those who promised but have not given yet.",
    ),
    TipMoment.END_3: (
        D.BELOW_PACE,
        "Plus que 3 jours : mobilisez vos relais",
        "3 days left: rally your relays",
        "Demandez à vos partenaires de relayer la collecte avec leur lien.",
        "Ask your partners to relay the campaign with their link.",
    ),
    TipMoment.END_2: (
        D.NO_NEWS_7_DAYS,
        "Plus que 2 jours : une actualité ?",
        "2 days left: some news?",
        "Vous n'avez pas donné de nouvelles depuis une semaine : dites où vous en êtes.",
        "You have not posted news for a week: say where you stand.",
    ),
    TipMoment.END_1: (
        D.ALWAYS,
        "Dernier jour !",
        "Last day!",
        "Dernier appel : écrivez à tous ceux qui voulaient contribuer. Merci pour tout !",
        "Last call: write to everyone who wanted to contribute. Thank you for everything!",
    ),
}


def default_rules(programme) -> list[TipRule]:
    return [
        TipRule(
            programme=programme,
            moment=moment,
            condition=condition,
            enabled=True,
            subject_fr=sfr,
            subject_en=sen,
            body_fr=bfr,
            body_en=ben,
        )
        for moment, (condition, sfr, sen, bfr, ben) in DEFAULT_TIPS.items()
    ]


def rules_for(programme) -> list[TipRule]:
    saved = {rule.moment: rule for rule in TipRule.objects.filter(programme=programme)}
    return [saved.get(rule.moment, rule) for rule in default_rules(programme)]


def due_at(campaign: Campaign, moment: str) -> datetime | None:
    start = campaign.launched_at or campaign.starts_at
    end = campaign.ends_at
    if not (start and end):
        return None
    if moment.startswith("day"):
        return start + timedelta(days=int(moment[3:]))
    if moment == TipMoment.SLUMP:
        return start + (end - start) / 2
    return end - timedelta(days=int(moment[3:]))


def condition_holds(campaign: Campaign, condition: str, now: datetime) -> bool:
    if condition == TipCondition.NO_NEWS_7_DAYS:
        return pace.days_without_news(campaign, now) >= NO_NEWS_DAYS
    if condition == TipCondition.BELOW_PACE:
        return pace.below_pace(campaign, now)
    return True


def _claim(pk: int, now: datetime, outcome: str) -> bool:
    """Decide the tip row ``pk`` if nobody has: True when this call won."""
    return (
        TipSent.objects.filter(pk=pk, decided_at__isnull=True).update(
            decided_at=now, outcome=outcome
        )
        == 1
    )


def _decide(campaign: Campaign, rule: TipRule, due: datetime, now: datetime) -> str | None:
    """Claim the tip for this campaign and decide it; the outcome, or None when another
    run had decided it already."""
    try:
        with transaction.atomic():
            row, _created = TipSent.objects.get_or_create(
                campaign=campaign, moment=rule.moment, defaults={"due_at": due}
            )
    except IntegrityError:  # created by another worker between our get and create
        row = TipSent.objects.get(campaign=campaign, moment=rule.moment)
    if row.decided_at is not None:
        return None
    holds = condition_holds(campaign, rule.condition, now)
    outcome = TipOutcome.SENT if holds else TipOutcome.SKIPPED
    with transaction.atomic():
        if not _claim(row.pk, now, outcome):
            return None
        log_action(
            actions.TIP_DECIDED,
            obj=campaign,
            data={"moment": rule.moment, "outcome": outcome},
        )
        if holds:
            maker = campaign.maker
            mails.notify(
                "tip",
                maker.email,
                maker.language,
                name=maker.get_short_name(),
                title=campaign.title,
                subject_fr=rule.subject_fr,
                subject_en=rule.subject_en,
                body_fr=rule.body_fr,
                body_en=rule.body_en,
                space_path=_backstage(campaign),
            )
    return outcome


def _backstage(campaign: Campaign) -> str:
    from django.urls import reverse

    return reverse("campaigns:backstage", args=[campaign.slug])


def send_due_tips(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    counts = {TipOutcome.SENT: 0, TipOutcome.SKIPPED: 0}
    campaigns = Campaign.objects.filter(state=CampaignState.LIVE).select_related(
        "programme", "application__maker"
    )
    rules_cache: dict[int, list[TipRule]] = {}
    for campaign in campaigns:
        rules = rules_cache.setdefault(campaign.programme_id, rules_for(campaign.programme))
        for rule in rules:
            due = due_at(campaign, rule.moment)
            if not rule.enabled or due is None or not (due <= now < due + WINDOW):
                continue
            outcome = _decide(campaign, rule, due, now)
            if outcome:
                counts[outcome] += 1
    return {"sent": counts[TipOutcome.SENT], "skipped": counts[TipOutcome.SKIPPED]}


# --- the schedule of a campaign (preview) ---------------------------------------------------


@dataclass
class PreviewRow:
    rule: TipRule
    due: datetime | None
    status: str
    holds_now: bool | None

    @property
    def label(self) -> str:
        return str(TipMoment(self.rule.moment).label)


def preview(campaign: Campaign, now: datetime | None = None) -> list[PreviewRow]:
    now = now or timezone.now()
    decided = {row.moment: row for row in TipSent.objects.filter(campaign=campaign)}
    rows = []
    for rule in rules_for(campaign.programme):
        due = due_at(campaign, rule.moment)
        row = decided.get(rule.moment)
        if row is not None and row.decided_at:
            status = str(TipOutcome(row.outcome).label)
        elif not rule.enabled:
            status = _("Off")
        elif due is None:
            status = _("No dates yet")
        elif due + WINDOW <= now:
            status = _("Not sent (its day has passed)")
        elif due <= now:
            status = _("Due now")
        else:
            status = _("Upcoming")
        live = campaign.state == CampaignState.LIVE
        rows.append(
            PreviewRow(
                rule, due, status, condition_holds(campaign, rule.condition, now) if live else None
            )
        )
    rows.sort(key=lambda r: (r.due is None, r.due or now))
    return rows


def save_rules(programme, *, user, rows: list[dict]) -> None:
    """Save the programme's twelve tips (``rows`` keyed by ``moment``)."""
    with transaction.atomic():
        for row in rows:
            TipRule.objects.update_or_create(
                programme=programme,
                moment=row["moment"],
                defaults={
                    "condition": row["condition"],
                    "enabled": row["enabled"],
                    "subject_fr": row["subject_fr"],
                    "subject_en": row["subject_en"],
                    "body_fr": row["body_fr"],
                    "body_en": row["body_en"],
                },
            )
        log_action(actions.TIPS_CHANGED, obj=programme, user=user)
