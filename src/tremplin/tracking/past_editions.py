"""Past editions: an organiser brings the results of the editions it ran before the
platform (``import_past_edition``, from the CSV files checked by ``tracking.past_csv``:
all stored or nothing), and deletes one (``delete_past_edition``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import log_action
from tremplin.core.errors import DomainError
from tremplin.core.models import Organiser
from tremplin.tracking import actions
from tremplin.tracking.models import PastCampaign, PastDay, PastEdition
from tremplin.tracking.past_csv import ParsedEdition, parse_past_edition

MAX_APPLICATIONS = 100_000


class PastEditionError(DomainError):
    pass


@dataclass
class EditionFacts:
    """What the files do not say: typed in the import form."""

    name: str
    year: int
    applications_count: int
    laureates_count: int


def _check(organiser: Organiser, facts: EditionFacts, parsed: ParsedEdition) -> None:
    errors: dict[str, list[str]] = {}
    if not facts.name or len(facts.name) > 150:
        errors.setdefault("name", []).append(_("Enter a name of at most 150 characters."))
    elif PastEdition.objects.filter(organiser=organiser, name=facts.name).exists():
        errors.setdefault("name", []).append(_("A past edition already has this name."))
    if not 0 <= facts.applications_count <= MAX_APPLICATIONS:
        errors.setdefault("applications_count", []).append(_("Enter a number from 0 to 100,000."))
    if facts.laureates_count > facts.applications_count:
        errors.setdefault("laureates_count", []).append(
            _("There cannot be more laureates than applications.")
        )
    if len(parsed.campaigns) > facts.laureates_count:
        errors.setdefault("laureates_count", []).append(
            _("The file has %(count)d campaigns: more than the laureates.")
            % {"count": len(parsed.campaigns)}
        )
    if facts.year != parsed.campaigns_start.year:
        errors.setdefault("year", []).append(
            _("The campaigns of the file start in %(year)d.")
            % {"year": parsed.campaigns_start.year}
        )
    if errors:
        raise PastEditionError(errors)


def import_past_edition(
    organiser: Organiser,
    facts: EditionFacts,
    campaigns_data: bytes,
    days_data: bytes | None = None,
    *,
    user,
) -> PastEdition:
    """Check both files whole (``PastImportError`` lists every problem with its line) and
    the edition's facts (``PastEditionError`` by field), then store the edition, its
    campaigns and days in one transaction."""
    parsed = parse_past_edition(campaigns_data, days_data)
    _check(organiser, facts, parsed)
    try:
        with transaction.atomic():
            edition = PastEdition.objects.create(
                organiser=organiser,
                name=facts.name,
                year=facts.year,
                campaigns_start=parsed.campaigns_start,
                campaigns_end=parsed.campaigns_end,
                applications_count=facts.applications_count,
                laureates_count=facts.laureates_count,
                imported_by=user if getattr(user, "is_authenticated", False) else None,
            )
            campaigns = PastCampaign.objects.bulk_create(
                [
                    PastCampaign(
                        edition=edition,
                        maker=row.maker,
                        title=row.title,
                        commune=row.commune,
                        goal=row.goal,
                        raised=row.raised,
                        contributors=row.contributors,
                        starts_on=row.starts_on,
                        ends_on=row.ends_on,
                        position=i,
                    )
                    for i, row in enumerate(parsed.campaigns)
                ]
            )
            by_title = {c.title: c for c in campaigns}
            PastDay.objects.bulk_create(
                [
                    PastDay(
                        campaign=by_title[row.title],
                        day=row.day,
                        raised=row.raised,
                        contributors=row.contributors,
                    )
                    for row in parsed.days
                ],
                batch_size=1000,
            )
            log_action(
                actions.PAST_EDITION_IMPORTED,
                obj=edition,
                organiser=organiser,
                user=user,
                data={
                    "edition": edition.name,
                    "campaigns": len(campaigns),
                    "past_days": len(parsed.days),
                },
            )
    except IntegrityError:  # the same name imported twice at once
        raise PastEditionError({"name": [_("A past edition already has this name.")]}) from None
    return edition


def delete_past_edition(edition: PastEdition, *, user) -> None:
    with transaction.atomic():
        locked = PastEdition.objects.select_for_update().filter(pk=edition.pk).first()
        if locked is None:
            return
        log_action(
            actions.PAST_EDITION_DELETED,
            organiser=Organiser(pk=locked.organiser_id),
            user=user,
            data={"edition": locked.name, "campaigns": locked.campaigns.count()},
        )
        locked.delete()
