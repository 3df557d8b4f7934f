"""The retention periods the privacy page states, applied (``tremplin retention``, daily).

Each rule reads its period from the settings (``RETENTION_*``), which the privacy page
reads too, so the page and the job never disagree; a programme may have longer periods
(``ProgrammeRetention``), between the platform's period and ``LIMITS``. Each rule lists
what it would do (``dry_run``) with the same queries it acts on, and only ever picks rows
not yet handled, so a second run the same day does nothing.

* accounts: warned ``RETENTION_ACCOUNT_WARNING_DAYS`` before, then erased
  ``RETENTION_ACCOUNT_YEARS`` after the last sign-in (``privacy.erasure``; an account
  whose erasure is refused, e.g. a running application, is kept and reported);
* drafts never submitted: deleted ``RETENTION_DRAFT_YEARS`` after the call closed;
* applications not selected: erased ``RETENTION_NOT_SELECTED_YEARS`` after the results;
* laureates' applications: erased ``RETENTION_LAUREATE_YEARS`` after the campaigns end;
* contributions: the contributor's identity erased ``RETENTION_CONTRIBUTION_YEARS`` after
  the campaign closed (the amounts stay: the ledger is unchanged);
* exports: the file of an export downloaded or past its date is deleted;
* tax receipts: the donor's identity erased ``RETENTION_CONTRIBUTION_YEARS`` after the end
  of the year of the gift (the accounting period; the receipt, its number and amounts
  stay);
* the contributors' space's one-time codes: deleted a day after they expired;
* workshop registrations of people without an account: deleted
  ``RETENTION_WORKSHOP_REGISTRATION_YEARS`` after the workshop (an account's go with the account);
* past editions' makers: their names erased ``RETENTION_LAUREATE_YEARS`` after the
  edition's campaigns ended, like a laureate's application (the figures stay).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tremplin.calls.enums import ApplicationState
from tremplin.calls.models import Answer, Application, ApplicationImage, Programme
from tremplin.core.audit import log_action
from tremplin.core.dates import PARIS
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import User
from tremplin.jury.enums import Outcome
from tremplin.privacy import actions, exports
from tremplin.privacy.erasure import ERASED_TITLE, ErasureRefused, erase_account
from tremplin.privacy.models import AccountWarning

# The longest period an organiser may set for its programmes, in years: beyond, keeping
# the data would no longer be proportionate to the purpose (GDPR art. 5.1.e).
LIMITS = {"draft_years": 3, "not_selected_years": 5, "laureate_years": 20}
SETTING_OF = {
    "draft_years": "RETENTION_DRAFT_YEARS",
    "not_selected_years": "RETENTION_NOT_SELECTED_YEARS",
    "laureate_years": "RETENTION_LAUREATE_YEARS",
}
RULE_LABELS = {
    "account_warnings": _("accounts warned a month before deletion"),
    "accounts": _("accounts unused since their last sign-in"),
    "drafts": _("draft applications never submitted"),
    "not_selected": _("applications not selected"),
    "laureates": _("applications of laureates"),
    "contributions": _("contributors' identity on contributions"),
    "exports": _("personal data exports"),
    "receipts": _("donors' identity on tax receipts"),
    "space_codes": _("one-time codes of the contributors' space"),
    "workshop_registrations": _("workshop registrations of people without an account"),
    "past_makers": _("makers' names of past editions"),
}
# Registrations of people without an account are kept this long after their workshop
# (attendance figures of the programme's year), then deleted.


def periods() -> dict[str, int]:
    """The platform's periods, as the privacy page shows them."""
    return {
        "account_years": settings.RETENTION_ACCOUNT_YEARS,
        "account_warning_days": settings.RETENTION_ACCOUNT_WARNING_DAYS,
        "draft_years": settings.RETENTION_DRAFT_YEARS,
        "not_selected_years": settings.RETENTION_NOT_SELECTED_YEARS,
        "laureate_years": settings.RETENTION_LAUREATE_YEARS,
        "contribution_years": settings.RETENTION_CONTRIBUTION_YEARS,
        "export_days": settings.PRIVACY_EXPORT_DAYS,
    }


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def years_after(moment: datetime, years: int) -> datetime:
    return years_before(moment, -years)


def programme_years(programme: Programme, key: str) -> int:
    default = getattr(settings, SETTING_OF[key])
    override = getattr(getattr(programme, "retention", None), key, None)
    return max(default, override) if override else default


@dataclass
class RetentionReport:
    now: datetime
    dry_run: bool
    items: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in RULE_LABELS})
    kept: list[str] = field(default_factory=list)

    def add(self, rule: str, label: str) -> None:
        self.items[rule].append(label)

    def counts(self) -> dict[str, int]:
        return {rule: len(items) for rule, items in self.items.items()}

    def as_dict(self) -> dict:
        return {**self.counts(), "kept": len(self.kept)}

    def lines(self) -> list[str]:
        verb = "would" if self.dry_run else "did"
        mode = "dry run" if self.dry_run else "applied"
        out = [f"Retention on {self.now:%Y-%m-%d %H:%M} UTC ({mode}):"]
        for rule, items in self.items.items():
            out.append(f"- {rule} ({RULE_LABELS[rule]}): {len(items)}")
            out += [f"    {verb}: {item}" for item in items]
        for reason in self.kept:
            out.append(f"- kept: {reason}")
        return out


def apply(now: datetime | None = None, *, dry_run: bool = False) -> RetentionReport:
    now = now or timezone.now()
    report = RetentionReport(now, dry_run)
    # Each rule in its own transaction: all of a rule's rows or none of them, files
    # deleted once the rows are.
    rules = (
        _accounts,
        _drafts,
        _not_selected,
        _laureates,
        _contributions,
        _exports,
        _receipts,
        _space_codes,
        _workshop_registrations,
        _past_makers,
    )
    for rule in rules:
        with transaction.atomic():
            rule(report)
    if not dry_run and any(report.counts().values()):
        log_action(actions.RETENTION_APPLIED, data={"count": sum(report.counts().values())})
    return report


# -- accounts --------------------------------------------------------------------------


def _accounts(report: RetentionReport) -> None:
    now = report.now
    years = settings.RETENTION_ACCOUNT_YEARS
    warning = timedelta(days=settings.RETENTION_ACCOUNT_WARNING_DAYS)
    # Due within the warning period (or past due): last seen before now + warning - years.
    horizon = years_before(now + warning, years)
    seen = Q(last_login__lt=horizon) | Q(last_login__isnull=True, date_joined__lt=horizon)
    candidates = (
        User.objects.filter(seen, is_active=True, is_staff=False)
        .exclude(email__endswith="@erased.invalid")
        .order_by("pk")
    )
    for user in candidates:
        last_seen = user.last_login or user.date_joined
        warned = AccountWarning.objects.filter(user=user, last_seen=last_seen).first()
        if warned is None:
            due = max(years_after(last_seen, years), now + warning)
            label = f"account {user.pk}, deletion on {due:%Y-%m-%d}"
            if report.dry_run or _warn(user, last_seen, due):
                report.add("account_warnings", label)
        elif warned.deletion_due <= now:
            if report.dry_run:
                from tremplin.privacy.erasure import blockers

                if blockers(user):
                    report.kept.append(f"account {user.pk}: its erasure is refused for now")
                else:
                    report.add("accounts", f"account {user.pk}")
                continue
            try:
                erase_account(user)
            except ErasureRefused:
                report.kept.append(f"account {user.pk}: its erasure is refused for now")
            else:
                report.add("accounts", f"account {user.pk}")


def _date_in(moment: datetime, language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return date_format(moment.astimezone(PARIS).date(), "DATE_FORMAT")


def _warn(user, last_seen: datetime, due: datetime) -> bool:
    """Claimed by the unique (user, last seen) row: two runs never send it twice."""
    try:
        with transaction.atomic():
            AccountWarning.objects.create(user=user, last_seen=last_seen, deletion_due=due)
            send_mail_on_commit(
                "privacy/email/account_warning",
                user.email,
                {
                    "years": settings.RETENTION_ACCOUNT_YEARS,
                    "due": _date_in(due, user.language),
                    "path": reverse("account_login"),
                },
                language=user.language,
            )
    except IntegrityError:  # another run warned this account first
        return False
    return True


# -- applications ------------------------------------------------------------------------


def _programmes():
    return Programme.objects.select_related("retention", "jury").order_by("pk")


def _delete_files(names: list[str]) -> None:
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def _application_files(ids) -> list[str]:
    return list(
        ApplicationImage.objects.filter(application_id__in=ids).values_list("image", flat=True)
    ) + list(
        Answer.objects.filter(application_id__in=ids)
        .exclude(file="")
        .values_list("file", flat=True)
    )


def _drafts(report: RetentionReport) -> None:
    for programme in _programmes():
        cutoff = years_before(report.now, programme_years(programme, "draft_years"))
        if programme.call_closes_at > cutoff:
            continue
        drafts = Application.objects.filter(programme=programme, state=ApplicationState.DRAFT)
        ids = list(drafts.order_by("pk").values_list("pk", flat=True))
        for pk in ids:
            report.add("drafts", f"application {pk} ({programme.slug})")
        if ids and not report.dry_run:
            _delete_files(_application_files(ids))
            Application.objects.filter(pk__in=ids).delete()


def _laureate_q() -> Q:
    return Q(campaign__isnull=False) | Q(decision__outcome=Outcome.LAUREATE)


def _results_at(programme: Programme):
    jury = getattr(programme, "jury", None)
    published = getattr(jury, "published_at", None) if jury is not None else None
    return published or programme.results_at


def _not_selected(report: RetentionReport) -> None:
    for programme in _programmes():
        results = _results_at(programme)
        if results is None:
            continue
        if results > years_before(report.now, programme_years(programme, "not_selected_years")):
            continue
        rows = (
            Application.objects.filter(
                programme=programme,
                state__in=(ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN),
            )
            .exclude(_laureate_q())
            .exclude(title=ERASED_TITLE)
            .order_by("pk")
        )
        ids = list(rows.values_list("pk", flat=True))
        for pk in ids:
            report.add("not_selected", f"application {pk} ({programme.slug})")
        if ids and not report.dry_run:
            _erase_application_contents(ids, title=ERASED_TITLE)


def _erase_application_contents(ids: list[int], *, title: str | None = None) -> None:
    """The answers, images and personal fields go; the row stays (a jury's ballots and a
    campaign point to it)."""
    from tremplin.jury.models import Decision

    _delete_files(_application_files(ids))
    Answer.objects.filter(application_id__in=ids).delete()
    ApplicationImage.objects.filter(application_id__in=ids).delete()
    Decision.objects.filter(application_id__in=ids).update(feedback="")
    changes = {
        "summary": "",
        "description": "",
        "commune": "",
        "maker_profile": "",
        "maker_name": "",
        "maker_phone": "",
        "video_url": "",
        "eligibility_reason": "",
    }
    if title is not None:
        changes["title"] = title
    Application.objects.filter(pk__in=ids).update(**changes)


def _laureates(report: RetentionReport) -> None:
    for programme in _programmes():
        end = programme.campaigns_end_at or _results_at(programme)
        if end is None or end > years_before(
            report.now, programme_years(programme, "laureate_years")
        ):
            continue
        left = (
            Q(maker_name__gt="")
            | Q(maker_phone__gt="")
            | Q(description__gt="")
            | Q(summary__gt="")
            | Q(answers__isnull=False)
            | Q(images__isnull=False)
        )
        rows = Application.objects.filter(_laureate_q(), left, programme=programme)
        ids = sorted(set(rows.values_list("pk", flat=True)))
        for pk in ids:
            report.add("laureates", f"application {pk} ({programme.slug})")
        if ids and not report.dry_run:
            _erase_application_contents(ids)


# -- contributions, exports ----------------------------------------------------------------


def _contributions(report: RetentionReport) -> None:
    from tremplin.funding.models import Contribution

    cutoff = years_before(report.now, settings.RETENTION_CONTRIBUTION_YEARS)
    old = Q(campaign__closed_at__lt=cutoff) | Q(
        campaign__closed_at__isnull=True, created_at__lt=cutoff
    )
    identified = (
        Q(name__gt="")
        | Q(email__gt="")
        | Q(address__gt="")
        | Q(message__gt="")
        | Q(user__isnull=False)
    )
    rows = Contribution.objects.filter(old, identified).order_by("pk")
    ids = list(rows.values_list("pk", flat=True))
    for pk in ids:
        report.add("contributions", f"contribution {pk}")
    if ids and not report.dry_run:
        Contribution.objects.filter(pk__in=ids).update(
            user=None,
            name="",
            email="",
            address="",
            postal_code="",
            city="",
            message="",
            attribution={},
            offline_reference="",
            hide_name=True,
        )


def _exports(report: RetentionReport) -> None:
    for pk in exports.stale_exports(report.now):
        report.add("exports", f"export {pk}")
    if not report.dry_run:
        exports.expire_exports(report.now)


# -- the newer apps: tax receipts, the contributors' space, workshops -----------------------


def _receipts(report: RetentionReport) -> None:
    """Accounting documents are kept ten years from the end of their year: then the
    donor's identity goes; the receipt (its number, amounts, beneficiary) stays."""
    from tremplin.donors.models import Receipt

    last_year = report.now.year - settings.RETENTION_CONTRIBUTION_YEARS - 1
    identified = Q(donor_name__gt="") | Q(donor_address__gt="") | Q(donor_email__gt="")
    rows = Receipt.objects.filter(identified, year__lte=last_year).order_by("pk")
    ids = list(rows.values_list("pk", flat=True))
    for pk in ids:
        report.add("receipts", f"receipt {pk}")
    if ids and not report.dry_run:
        Receipt.objects.filter(pk__in=ids).update(donor_name="", donor_address="", donor_email="")


def _space_codes(report: RetentionReport) -> None:
    from tremplin.donors.models import SpaceCode

    rows = SpaceCode.objects.filter(expires_at__lt=report.now - timedelta(days=1))
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        report.add("space_codes", f"code {pk}")
    if ids and not report.dry_run:
        SpaceCode.objects.filter(pk__in=ids).delete()


def _workshop_registrations(report: RetentionReport) -> None:
    from tremplin.coaching.models import WorkshopRegistration

    cutoff = years_before(report.now, settings.RETENTION_WORKSHOP_REGISTRATION_YEARS)
    rows = WorkshopRegistration.objects.filter(user__isnull=True, workshop__starts_at__lt=cutoff)
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        report.add("workshop_registrations", f"registration {pk}")
    if ids and not report.dry_run:
        WorkshopRegistration.objects.filter(pk__in=ids).delete()


def _past_makers(report: RetentionReport) -> None:
    """The names of the makers of editions run before the platform go when a laureate's
    would (the edition's figures, titles and amounts stay for the comparisons)."""
    from tremplin.tracking.models import PastCampaign

    cutoff = years_before(report.now, settings.RETENTION_LAUREATE_YEARS).date()
    rows = PastCampaign.objects.filter(edition__campaigns_end__lt=cutoff).exclude(maker="")
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        report.add("past_makers", f"past campaign {pk}")
    if ids and not report.dry_run:
        PastCampaign.objects.filter(pk__in=ids).update(maker="")
