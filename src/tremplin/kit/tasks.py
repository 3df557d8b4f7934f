"""Background work of the kit: making a version's items (posters, visuals, texts…)."""

from __future__ import annotations

from django_tasks import task

from tremplin.kit import generation


@task()
def generate_kit(version_id: int, notify: bool = True) -> str:
    return generation.generate_version(version_id, notify=notify)
