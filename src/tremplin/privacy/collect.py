"""What the platform holds about a person, read through the registry: one section per
declared model (its rows that are about the person, the declared columns), plus the
contents of the person's ballots once their jury is published. Pure reading."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from tremplin.privacy.people import Person
from tremplin.privacy.registry import PersonalData, declarations


def _published_only(rows: QuerySet, person: Person) -> QuerySet:
    """Ballots (and recusals) are secret until the jury's results are published."""
    prefix = "" if rows.model._meta.model_name == "ballot" else "ballot__"
    return rows.filter(**{f"{prefix}jury__published_at__isnull": False})


VISIBLE = {
    "jury.ballot": _published_only,
    "jury.recusal": _published_only,
}


@dataclass
class Section:
    name: str
    columns: list[str]
    rows: list[dict]
    files: list[tuple[str, str]] = field(default_factory=list)  # (storage name, zip path)


def section_name(declaration: PersonalData) -> str:
    return declaration.model.replace(".", "_").lower()


def _rows(declaration: PersonalData, person: Person) -> QuerySet:
    rows = person.rows(declaration)
    visible = VISIBLE.get(declaration.model.lower())
    return visible(rows, person) if visible else rows


def collect(person: Person) -> list[Section]:
    sections = []
    for declaration in declarations():
        columns = list(declaration.columns)
        if not columns:
            continue
        rows = _rows(declaration, person)
        values = list(rows.order_by("pk").values("pk", *columns))
        section = Section(section_name(declaration), columns, [])
        for value in values:
            pk = value.pop("pk")
            for name in declaration.files:
                stored = value.get(name)
                if stored:
                    target = f"files/{section.name}/{pk}/{PurePosixPath(stored).name}"
                    section.files.append((stored, target))
                    value[name] = target
            section.rows.append(value)
        sections.append(section)
    sections.append(_ballot_contents(person))
    return sections


def _ballot_contents(person: Person) -> Section:
    """Each vote of the person's ballots (their own, or their partner's they submitted),
    only for published juries."""
    from django.db.models import Q

    from tremplin.jury.models import Ballot, Grade, Pick, Score

    columns = ["ballot_id", "kind", "application__title", "criterion", "value"]
    section = Section("jury_votes", columns, [])
    if person.user is None:
        return section
    ballots = Ballot.objects.filter(
        Q(member__user=person.user) | Q(submitted_by=person.user),
        jury__published_at__isnull=False,
    ).values_list("pk", flat=True)
    ids = list(ballots)
    for pick in Pick.objects.filter(ballot_id__in=ids).values("ballot_id", "application__title"):
        section.rows.append({**pick, "kind": "favourite", "criterion": "", "value": ""})
    for grade in Grade.objects.filter(ballot_id__in=ids).values(
        "ballot_id", "application__title", "value"
    ):
        section.rows.append({**grade, "kind": "grade", "criterion": ""})
    for score in Score.objects.filter(ballot_id__in=ids).values(
        "ballot_id", "application__title", "criterion__label_fr", "value"
    ):
        criterion = score.pop("criterion__label_fr")
        section.rows.append({**score, "kind": "score", "criterion": criterion})
    return section


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list | bool):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _csv(section: Section) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(section.columns)
    for row in section.rows:
        cells = [_cell(row.get(c)) for c in section.columns]
        # A cell starting like a formula is quoted for spreadsheets (CSV injection).
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])
    return out.getvalue()


README = """Your personal data on Tremplin / Vos données personnelles sur Tremplin

data.json   everything, one key per kind of data / tout, une clé par type de données
*.csv       the same, one table per kind of data / la même chose, un tableau par type
files/      the files you sent (images, documents) / les fichiers que vous avez envoyés

Prepared on / préparé le : {when}
"""


def write_zip(person: Person, target) -> int:
    """Write the ZIP to the open binary file ``target``; the number of rows exported."""
    sections = collect(person)
    count = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(when=timezone.now().isoformat()))
        payload = {
            "person": {"emails": list(person.emails)},
            "prepared_at": timezone.now(),
            "sections": {s.name: s.rows for s in sections},
        }
        archive.writestr(
            "data.json", json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for section in sections:
            count += len(section.rows)
            archive.writestr(f"{section.name}.csv", _csv(section))
            for stored, path in section.files:
                try:
                    with default_storage.open(stored, "rb") as source:
                        archive.writestr(path, source.read())
                except OSError:
                    archive.writestr(path + ".missing.txt", "This file is no longer stored.")
    return count
