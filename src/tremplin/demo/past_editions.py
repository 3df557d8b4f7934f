"""The past-editions part of the demo: the Métropole's 2018 edition of MEL Makers, run
before the platform, imported from its results through the importer an organiser uses
(``tracking.past_editions.import_past_edition``), as the CSV files a spreadsheet would
give: 40 applications, 10 laureates, 9 campaigns funded, 17 September – 15 October 2018
(the brief's figures), with one line per campaign and day. Deterministic."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tremplin.core.models import Organiser, User
from tremplin.demo import data
from tremplin.tracking.past_editions import EditionFacts, import_past_edition

NAME_2018 = "MEL Makers 2018"
START_2018 = datetime.date(2018, 9, 17)
END_2018 = datetime.date(2018, 10, 15)
APPLICATIONS_2018 = 40
LAUREATES_2018 = 10

# (maker, title, commune, goal, % of the goal reached)
CAMPAIGNS_2018 = [
    ("Léa Vandamme", "Lampes en carton recyclé", "Roubaix", 4000, 131),
    ("Karim Haddad", "Le fablab mobile des écoles", "Villeneuve-d'Ascq", 9000, 112),
    ("Inès Delattre", "Potagers d'appartement connectés", "Lille", 6500, 104),
    ("Bruno Lefebvre", "Vélos-cargos de quartier", "Tourcoing", 12000, 118),
    ("Nadia Ouali", "Bijoux en verre de récupération", "Wattrelos", 3000, 146),
    ("Olivier Descamps", "Prothèses de main imprimées en 3D", "Lomme", 8000, 127),
    ("Sarah Dubois", "Jeux en bois pour tous les âges", "Lambersart", 3500, 109),
    ("Mehdi Benali", "Station de réparation d'électroménager", "Hellemmes", 7000, 101),
    ("Pauline Caron", "Textiles teints aux plantes du jardin", "Croix", 5000, 123),
    ("Antoine Leroux", "Instruments de musique en matériaux de réemploi", "Halluin", 6000, 58),
]
AVERAGE_GIFT = 68  # euros, to turn an amount into a number of contributors


def _curve(t: float) -> float:
    """The share of the final amount reached at the fraction ``t`` of the campaign: a launch
    peak, a slump, a final rush (the U shape of crowdfunding), 0 at the start, 1 at the end."""
    return 0.38 * (1 - (1 - t) ** 4) + 0.22 * t + 0.40 * t**6


def _euros(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def campaigns_csv() -> bytes:
    lines = [
        ";".join(
            ("porteur", "titre", "commune", "objectif", "collecte", "contributeurs", "debut", "fin")
        )
    ]
    for maker, title, commune, goal, share in CAMPAIGNS_2018:
        raised = Decimal(goal * share) / 100 + Decimal("0.50") * (len(title) % 3)
        lines.append(
            ";".join(
                (
                    maker,
                    title,
                    commune,
                    str(goal),
                    _euros(raised),
                    str(int(raised) // AVERAGE_GIFT),
                    START_2018.strftime("%d/%m/%Y"),
                    END_2018.strftime("%d/%m/%Y"),
                )
            )
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def days_csv() -> bytes:
    lines = ["titre;jour;collecte;contributeurs"]
    days = (END_2018 - START_2018).days + 1
    for _maker, title, _commune, goal, share in CAMPAIGNS_2018:
        raised = Decimal(goal * share) / 100 + Decimal("0.50") * (len(title) % 3)
        people = int(raised) // AVERAGE_GIFT
        for i in range(days):
            fraction = 1.0 if i == days - 1 else _curve((i + 1) / days)
            amount = (raised * Decimal(str(round(fraction, 6)))).quantize(Decimal("0.01"))
            count = people if i == days - 1 else int(people * fraction)
            day = START_2018 + datetime.timedelta(days=i)
            lines.append(f"{title};{day:%d/%m/%Y};{_euros(amount)};{count}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def load_past_editions_demo() -> dict[str, int]:
    organiser = Organiser.objects.get(slug=data.MEL["slug"])
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    edition = import_past_edition(
        organiser,
        EditionFacts(
            name=NAME_2018,
            year=START_2018.year,
            applications_count=APPLICATIONS_2018,
            laureates_count=LAUREATES_2018,
        ),
        campaigns_csv(),
        days_csv(),
        user=manager,
    )
    return {"past_editions": 1, "past_campaigns": edition.campaigns.count()}
