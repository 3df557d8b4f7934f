"""What campaigns tell the apps above them (funding), and what they ask them for the pages.

Django signals are synchronous: a receiver runs inside the sender's transaction, so the
work it does is atomic with the sender's and keeps its lock order. Every signal is sent
with ``sender=Campaign``.

Events:

- ``campaign_closed(campaign, now)``: the clock has just moved ``campaign`` (locked) from
  LIVE to its outcome (SUCCEEDED, FAILED or CLOSED), in the close's transaction; the money
  side of the close (refunds, matched funds, contributors' e-mails) answers it.
- ``page_published(campaign, reason, user)``: the page's content was approved (``reason``
  "approved", ``review.approve``) or changed (``reason`` "changed",
  ``page.update_campaign_page``), in that transaction; the communication kit answers it.

Questions (the first answer that is not None is used; ``ask``):

- ``contributors_page(campaign, number, size)`` → ``(rows, more)``: one page of the
  confirmed contributions shown on the public page (``name``, ``amount``, ``hide_name``,
  ``hide_amount``, ``confirmed_at``), newest first;
- ``matched_funder(campaign)`` → the name of the funder of the programme's matched funds;
- ``contributors_export(campaign)`` → the maker's CSV of the contributors (a response);
- ``news_recipients(campaign)`` → ``[(email, language, name)]``: the contributors who asked
  for the news, one per address;
- ``submission_blockers(campaign)`` → ``[str]``: what else keeps the page from being
  submitted for review (the coaching readiness checklist's required items not done, each
  with why), shown to the maker and checked by ``review.submit_for_review``.
- ``share_image(campaign)`` → ``(url, alt)``: the page's OpenGraph image (the released
  communication kit's share image), or None."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

from tremplin.campaigns.models import Campaign

campaign_closed = Signal()
page_published = Signal()
contributors_page = Signal()
matched_funder = Signal()
contributors_export = Signal()
news_recipients = Signal()
submission_blockers = Signal()
share_image = Signal()


def ask(signal: Signal, **kwargs: Any) -> Any:
    """The first answer of ``signal``'s receivers that is not None (None without one)."""
    for _receiver, answer in signal.send(sender=Campaign, **kwargs):
        if answer is not None:
            return answer
    return None
