"""The ledger audit: every campaign's totals recomputed from the rows.

* ``raised_amount`` / ``contributor_count`` = the sum / number of its CONFIRMED
  contributions (online and offline); ``matched_amount`` = the sum of its CONFIRMED
  matchfunding allocations;
* every online CONFIRMED contribution has exactly one CONFIRMED payment, of its amount;
* every online REFUNDED contribution has one CONFIRMED payment whose refund is given back
  (DONE by the provider, or OUTSIDE: recorded by the organiser as paid back outside the
  platform — both count as refunded);
* no CONFIRMED payment belongs to a contribution that is not counted (money taken but
  not shown), and no given-back refund to a contribution still counted (money given back
  but still shown);
* every matchfunding pot's ``allocated`` = the sum of its CONFIRMED allocations.

A few grouped queries, whatever the number of campaigns."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from tremplin.campaigns.models import Campaign
from tremplin.funding.enums import AllocationState, ContributionSource, ContributionState
from tremplin.funding.models import Contribution, MatchAllocation, MatchfundingPot
from tremplin.payments.enums import REFUND_GIVEN_BACK, PaymentState
from tremplin.payments.models import Refund

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(value) -> Decimal:
    """An aggregate as euros with two places (SQLite's SUM drops trailing zeros)."""
    return Decimal(value or 0).quantize(CENT)


@dataclass
class Problem:
    campaign: str  # slug, or "" for a pot
    message: str

    def __str__(self) -> str:
        return f"campaign {self.campaign}: {self.message}" if self.campaign else self.message


@dataclass
class Report:
    campaigns: int = 0
    contributions: int = 0
    raised: Decimal = ZERO
    pots: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"Ledger clean: {self.campaigns} campaign(s), {self.contributions} confirmed "
            f"contribution(s) totalling {self.raised} €, {self.pots} matchfunding pot(s) "
            "agree with their rows."
        )


def _signed(value) -> str:
    return f"+{value}" if value > 0 else str(value)


def _check_totals(report: Report) -> dict[int, str]:
    confirmed = {
        row["campaign"]: (_money(row["total"]), row["n"])
        for row in Contribution.objects.filter(state=ContributionState.CONFIRMED)
        .values("campaign")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by()
    }
    matched = {
        row["campaign"]: _money(row["total"])
        for row in MatchAllocation.objects.filter(state=AllocationState.CONFIRMED)
        .values("campaign")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    slugs: dict[int, str] = {}
    rows = Campaign.objects.order_by("pk").values(
        "pk", "slug", "raised_amount", "contributor_count", "matched_amount"
    )
    for row in rows.iterator():
        slugs[row["pk"]] = row["slug"]
        report.campaigns += 1
        raised, count = confirmed.get(row["pk"], (ZERO, 0))
        report.contributions += count
        report.raised += raised
        slug = row["slug"]
        if row["raised_amount"] != raised:
            report.problems.append(
                Problem(
                    slug,
                    f"raised_amount is {row['raised_amount']} but its confirmed contributions "
                    f"total {raised} (difference {_signed(row['raised_amount'] - raised)})",
                )
            )
        if row["contributor_count"] != count:
            report.problems.append(
                Problem(
                    slug,
                    f"contributor_count is {row['contributor_count']} but it has {count} "
                    f"confirmed contribution(s) (difference "
                    f"{_signed(row['contributor_count'] - count)})",
                )
            )
        expected_match = matched.get(row["pk"], ZERO)
        if row["matched_amount"] != expected_match:
            report.problems.append(
                Problem(
                    slug,
                    f"matched_amount is {row['matched_amount']} but its confirmed allocations "
                    f"total {expected_match} (difference "
                    f"{_signed(row['matched_amount'] - expected_match)})",
                )
            )
    return slugs


def _check_payments(report: Report, slugs: dict[int, str]) -> None:
    confirmed_payment = Q(payments__state=PaymentState.CONFIRMED)
    online = Contribution.objects.filter(source=ContributionSource.ONLINE).annotate(
        paid_count=Count("payments", filter=confirmed_payment),
        paid=Sum("payments__amount", filter=confirmed_payment),
    )
    wrong = online.filter(state__in=[ContributionState.CONFIRMED, ContributionState.REFUNDED])
    wrong = wrong.exclude(paid_count=1, paid=F("amount"))
    for row in wrong.values("pk", "campaign", "state", "amount", "paid_count", "paid"):
        report.problems.append(
            Problem(
                slugs.get(row["campaign"], "?"),
                f"{row['state']} online contribution {row['pk']} of {row['amount']} has "
                f"{row['paid_count']} confirmed payment(s) totalling {_money(row['paid'])}",
            )
        )
    uncounted = online.filter(paid_count__gt=0).exclude(
        state__in=[ContributionState.CONFIRMED, ContributionState.REFUNDED]
    )
    for row in uncounted.values("pk", "campaign", "state", "paid"):
        report.problems.append(
            Problem(
                slugs.get(row["campaign"], "?"),
                f"contribution {row['pk']} is {row['state']} but has a confirmed payment of "
                f"{_money(row['paid'])}: money taken and not counted",
            )
        )
    refunded = Contribution.objects.filter(
        source=ContributionSource.ONLINE, state=ContributionState.REFUNDED
    ).annotate(
        done=Count(
            "payments__refund",
            filter=Q(
                payments__state=PaymentState.CONFIRMED,
                payments__refund__state__in=REFUND_GIVEN_BACK,
            ),
        )
    )
    for row in refunded.exclude(done=1).values("pk", "campaign", "done"):
        report.problems.append(
            Problem(
                slugs.get(row["campaign"], "?"),
                f"refunded contribution {row['pk']} has {row['done']} done refund(s) "
                "(expected exactly one)",
            )
        )
    still_counted = Refund.objects.filter(
        state__in=REFUND_GIVEN_BACK,
        payment__state=PaymentState.CONFIRMED,
    ).exclude(payment__contribution__state=ContributionState.REFUNDED)
    for row in still_counted.values(
        "pk", "payment__contribution", "payment__contribution__campaign"
    ):
        report.problems.append(
            Problem(
                slugs.get(row["payment__contribution__campaign"], "?"),
                f"refund {row['pk']} is done but contribution {row['payment__contribution']} "
                "is still counted",
            )
        )


def _check_pots(report: Report) -> None:
    allocated = {
        row["pot"]: _money(row["total"])
        for row in MatchAllocation.objects.filter(state=AllocationState.CONFIRMED)
        .values("pot")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    for pot in MatchfundingPot.objects.select_related("programme").order_by("pk"):
        report.pots += 1
        expected = allocated.get(pot.pk, ZERO)
        if pot.allocated != expected:
            report.problems.append(
                Problem(
                    "",
                    f"matchfunding pot of programme {pot.programme.slug}: allocated is "
                    f"{pot.allocated} but its confirmed allocations total {expected} "
                    f"(difference {_signed(pot.allocated - expected)})",
                )
            )


def audit() -> Report:
    report = Report()
    slugs = _check_totals(report)
    _check_payments(report, slugs)
    _check_pots(report)
    return report
