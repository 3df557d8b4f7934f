"""What calls asks the apps built on it. Calls knows nothing of them: it sends a signal and
each receiver (connected in its app's ``AppConfig.ready()``) answers for itself. Django
signals are synchronous: the receivers run in the sender's transaction.

The two signals here are questions; a receiver returns ``True`` to say yes, anything else
says nothing. One ``True`` is enough."""

from __future__ import annotations

from django.dispatch import Signal

# May ``user`` (neither the maker nor on the organiser's team) read ``application`` in full,
# its files and images included? Sent with ``user`` and ``application`` (sender: the
# Application class). The jury answers for the jurors judging it.
application_read_requested = Signal()

# Is ``application`` public (its title, summary and images shown to anyone)? Sent with
# ``application`` (sender: the Application class). The jury answers for the laureates of a
# published jury.
application_publicity_requested = Signal()


def any_yes(responses: list[tuple[object, object]]) -> bool:
    """Whether one receiver answered ``True``."""
    return any(response is True for _receiver, response in responses)
