"""Coaching's answers to the questions of the apps below it, connected in
``CoachingConfig.ready``; each runs in the sender's transaction.

- ``campaigns.signals.submission_blockers(campaign)`` → the readiness checklist's required
  items not done, each with why (``checklist.blockers``)."""

from __future__ import annotations

from tremplin.coaching import checklist


def submission_blockers_receiver(sender, campaign, **kwargs) -> list[str]:
    return checklist.blockers(campaign)
