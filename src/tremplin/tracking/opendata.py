"""The programme's public results as open data: one CSV line per laureate's campaign
(title, commune, goal, raised, matched, contributors, outcome) and its description in the
Table Schema format (https://specs.frictionlessdata.io/table-schema/, as published on
schema.data.gouv.fr), under the Licence Ouverte 2.0 (Etalab). Public once the programme's
campaigns are over (``tracking.rules.results_are_public``).

The CSV is what an open-data portal expects: UTF-8 without BOM, comma-separated, a header
line with the fields' names, numbers with a decimal point, no thousands separator."""

from __future__ import annotations

import csv
import io

from tremplin.calls.models import Programme
from tremplin.tracking.report_figures import NOT_REACHED, REACHED, campaign_rows

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
OUTCOMES = {REACHED: "objectif_atteint", NOT_REACHED: "objectif_non_atteint"}

FIELDS = [
    {
        "name": "titre",
        "title": "Titre de la campagne",
        "type": "string",
        "description": "Le titre du projet lauréat et de sa campagne de financement participatif.",
        "example": "Atelier vélo mobile des quartiers",
        "constraints": {"required": True, "maxLength": 120},
    },
    {
        "name": "commune",
        "title": "Commune",
        "type": "string",
        "description": "La commune du projet, telle que déclarée dans la candidature "
        "(vide si elle n'a pas été donnée).",
        "example": "Roubaix",
        "constraints": {"required": False, "maxLength": 100},
    },
    {
        "name": "objectif_eur",
        "title": "Objectif (euros)",
        "type": "number",
        "description": "L'objectif de collecte de la campagne, en euros.",
        "example": "5000.00",
        "constraints": {"required": True, "minimum": 0},
    },
    {
        "name": "collecte_eur",
        "title": "Montant collecté (euros)",
        "type": "number",
        "description": "La somme des contributions confirmées (en ligne et hors ligne), "
        "après les remboursements, en euros.",
        "example": "6250.00",
        "constraints": {"required": True, "minimum": 0},
    },
    {
        "name": "abondement_eur",
        "title": "Abondement (euros)",
        "type": "number",
        "description": "Le montant ajouté par la collectivité (abondement), en euros.",
        "example": "1500.00",
        "constraints": {"required": True, "minimum": 0},
    },
    {
        "name": "contributeurs",
        "title": "Contributions",
        "type": "integer",
        "description": "Le nombre de contributions confirmées et non remboursées.",
        "example": "112",
        "constraints": {"required": True, "minimum": 0},
    },
    {
        "name": "resultat",
        "title": "Résultat",
        "type": "string",
        "description": "objectif_atteint si la campagne a atteint son objectif, "
        "objectif_non_atteint sinon.",
        "example": "objectif_atteint",
        "constraints": {"required": True, "enum": sorted(OUTCOMES.values())},
    },
]


def results_rows(programme: Programme) -> list[list[str]]:
    """The rows of the CSV: the campaigns that are over, by title."""
    _campaigns, rows, _totals = campaign_rows(programme)
    return [
        [
            row["title"],
            row["commune"],
            row["goal"],
            row["raised"],
            row["matched"],
            str(row["contributions"]),
            OUTCOMES[row["outcome"]],
        ]
        for row in rows
        if row["outcome"] in OUTCOMES
    ]


def results_csv(programme: Programme) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([field["name"] for field in FIELDS])
    writer.writerows(results_rows(programme))
    return out.getvalue().encode("utf-8")


def results_schema(programme: Programme, *, csv_url: str, schema_url: str) -> dict:
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": f"resultats-{programme.slug}",
        "title": f"Résultats des campagnes — {programme.name}",
        "description": (
            f"Les résultats publics des campagnes de financement participatif des lauréats "
            f"du programme « {programme.name} » ({programme.organiser.name}) : une ligne par "
            "campagne terminée."
        ),
        "countryCode": "FR",
        "homepage": csv_url.rsplit("/", 1)[0] + "/",
        "path": schema_url,
        "resources": [{"title": "Résultats (CSV)", "path": csv_url}],
        "licenses": [LICENCE],
        "contributors": [{"title": programme.organiser.name, "role": "author"}],
        "version": "1.0.0",
        "fields": FIELDS,
        "missingValues": [""],
    }
