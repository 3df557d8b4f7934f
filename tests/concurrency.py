"""Real parallel work for the concurrency tests (PostgreSQL): threads released at the same
instant, each on its own database connection."""

from __future__ import annotations

import threading

from django.db import close_old_connections, connections

from tremplin.core.errors import DomainError


def run_together(count: int, work, *, timeout: float = 120) -> list:
    """Run ``work(i)`` in ``count`` threads released at the same instant; the outcomes in
    order: what ``work`` returned, a refusal's code (``DomainError``), or the name of any
    other exception."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[i] = work(i)
        except DomainError as error:
            outcomes[i] = error.code
        except Exception as error:  # noqa: BLE001 - reported in the outcomes
            outcomes[i] = type(error).__name__
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    close_old_connections()
    return outcomes
