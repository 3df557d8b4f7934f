"""Background work of the kit: making a version's items (posters, visuals, texts…), and
adding to a made version the items planned since (the teaser)."""

from __future__ import annotations

from django_tasks import task

from tremplin.kit import completion, generation


@task()
def generate_kit(version_id: int, notify: bool = True) -> str:
    return generation.generate_version(version_id, notify=notify)


@task()
def complete_kit(version_id: int) -> str:
    return completion.complete_version(version_id)
