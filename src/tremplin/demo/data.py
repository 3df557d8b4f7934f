"""Content of the demo: the Métropole Européenne de Lille, its nine partners, the 2019
edition with its 33 screened applications, the 2020 edition with its call open, and a
second organiser (the Douaisis) to show that organisers do not see each other.

Every person, address and project here is fictitious. E-mail addresses use the reserved
``.example`` domain; phone numbers the range reserved for fiction (06 39 98 …).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

DEMO_PASSWORD = "tremplin-demo"  # noqa: S105 (printed by `tremplin demo`, demo only)


class Person(NamedTuple):
    full_name: str
    email: str


class PartnerData(NamedTuple):
    name: str
    slug: str
    description: str
    member: Person


class ProjectData(NamedTuple):
    maker: Person
    commune: str
    profile: str
    category: str
    title: str
    summary: str
    description: str
    impact: str
    goal: int
    budget: int


class QuestionData(NamedTuple):
    kind: str
    label_fr: str
    label_en: str
    help_fr: str = ""
    help_en: str = ""
    choices: str = ""
    required: bool = False


# --- people with a role -----------------------------------------------------------------

STAFF = Person("Sophie Martin", "sophie.martin@tremplin.example")
COACH = Person("Julien Moreau", "julien.moreau@tremplin.example")
MEL_MANAGER = Person("Claire Dumont", "claire.dumont@mel.example")
MEL_VIEWER = Person("Thomas Leroy", "thomas.leroy@mel.example")
DOUAISIS_MANAGER = Person("Hélène Carlier", "helene.carlier@douaisis.example")

# --- Métropole Européenne de Lille --------------------------------------------------------

MEL = {
    "name": "Métropole Européenne de Lille",
    "slug": "mel",
    "website": "https://www.lillemetropole.fr/",
}

MEL_PARTNERS = [
    PartnerData(
        "Université de Lille",
        "universite-de-lille",
        "Université publique de la métropole : ses laboratoires et ses fablabs "
        "accompagnent les projets des étudiants et des chercheurs.",
        Person("Nadia Benali", "nadia.benali@univ-lille.example"),
    ),
    PartnerData(
        "Université Catholique de Lille",
        "universite-catholique-de-lille",
        "Université pluridisciplinaire du quartier Vauban, engagée dans l'innovation "
        "sociale et l'entrepreneuriat étudiant.",
        Person("Pierre-Antoine Dubois", "pierre-antoine.dubois@univ-catholille.example"),
    ),
    PartnerData(
        "Maker Faire Lille",
        "maker-faire-lille",
        "Le grand rendez-vous annuel des makers de la métropole : inventeurs, bricoleurs, "
        "artisans et passionnés de technologie.",
        Person("Alexis Vasseur", "alexis.vasseur@makerfaire-lille.example"),
    ),
    PartnerData(
        "Techshop Lille",
        "techshop-lille",
        "Atelier de fabrication ouvert à tous : machines à commande numérique, bois, "
        "métal, textile et électronique.",
        Person("Marion Lecomte", "marion.lecomte@techshop-lille.example"),
    ),
    PartnerData(
        "BGE Hauts-de-France",
        "bge-hauts-de-france",
        "Réseau d'appui aux créateurs d'entreprise : formation, conseil et financement.",
        Person("Isabelle Bernard", "isabelle.bernard@bge-hdf.example"),
    ),
    PartnerData(
        "Smart Grands Ensemble",
        "smart-grands-ensemble",
        "Coopérative qui sécurise les parcours des artistes et des créatifs indépendants.",
        Person("Vincent Lambert", "vincent.lambert@smart.example"),
    ),
    PartnerData(
        "Boulanger",
        "boulanger",
        "Enseigne d'électroménager et de multimédia née dans la métropole, partenaire "
        "des projets de réparation et de réemploi.",
        Person("Céline Petit", "celine.petit@boulanger.example"),
    ),
    PartnerData(
        "La Condition Publique",
        "la-condition-publique",
        "Laboratoire créatif installé dans une ancienne usine de conditionnement de la "
        "laine, à Roubaix.",
        Person("Damien Roussel", "damien.roussel@laconditionpublique.example"),
    ),
    PartnerData(
        "Lille Makers",
        "lille-makers",
        "Communauté des makers lillois : rencontres, entraide et ateliers partagés.",
        Person("Aurélie Fontaine", "aurelie.fontaine@lillemakers.example"),
    ),
]

MEL_COMMUNES = [
    "Lille",
    "Hellemmes",
    "Lomme",
    "Roubaix",
    "Tourcoing",
    "Villeneuve-d'Ascq",
    "Lambersart",
    "Marcq-en-Barœul",
    "Wattrelos",
    "Croix",
    "La Madeleine",
    "Mons-en-Barœul",
    "Wasquehal",
    "Loos",
    "Ronchin",
    "Faches-Thumesnil",
    "Seclin",
    "Armentières",
    "Halluin",
    "Comines",
    "Haubourdin",
    "Wambrechies",
    "Hem",
    "Lys-lez-Lannoy",
    "Mouvaux",
    "Saint-André-lez-Lille",
]

MEL_CATEGORIES = [
    "Artisanat et design",
    "Économie circulaire et réemploi",
    "Numérique et électronique",
    "Alimentation et agriculture urbaine",
    "Mobilité",
    "Santé et handicap",
    "Culture et éducation",
]

MEL_DESCRIPTION = (
    "MEL Makers soutient les makers de la métropole : inventeurs, artisans, bricoleurs, "
    "associations et étudiants qui fabriquent ici des objets utiles.\n\n"
    "Les lauréats, choisis par un jury réunissant la Métropole et ses neuf partenaires, "
    "lancent une campagne de financement participatif par le don, accompagnée par des "
    "coachs. La Métropole relaie leurs projets par une campagne d'affichage, une vidéo "
    "d'une minute par maker et un article dans son magazine.\n\n"
    "Peuvent candidater les personnes majeures, associations et petites structures dont "
    "le projet est fabriqué dans une commune de la Métropole. L'objectif de "
    "collecte est compris entre 3 000 € et 15 000 €."
)

PROGRAMME_2019 = {
    "name": "MEL Makers 2019",
    "slug": "mel-makers-2019",
    "tagline": "Fabriqué dans la métropole, financé par ses habitants.",
    "primary_colour": "#B0122C",
    "secondary_colour": "#1D3557",
    "min_goal": Decimal("3000"),
    "max_goal": Decimal("15000"),
}

PROGRAMME_2020 = {
    "name": "MEL Makers 2020",
    "slug": "mel-makers-2020",
    "tagline": "Vous fabriquez dans la métropole ? Candidatez et lancez votre collecte.",
    "primary_colour": "#B0122C",
    "secondary_colour": "#1D3557",
    "min_goal": Decimal("3000"),
    "max_goal": Decimal("15000"),
}

_STAGE_CHOICES = (
    "Une idée | An idea\nUn prototype | A prototype\n"
    "Des premières ventes ou de premiers utilisateurs | First sales or first users"
)

QUESTIONS_2019 = [
    QuestionData(
        "long_text",
        "En quoi votre projet est-il utile au territoire ?",
        "How is your project useful to the territory?",
        "Qui en profite, où, et comment le saurez-vous ?",
        "Who benefits, where, and how will you know?",
        required=True,
    ),
    QuestionData(
        "single_choice",
        "Où en est votre projet ?",
        "How far along is your project?",
        choices=_STAGE_CHOICES,
        required=True,
    ),
    QuestionData(
        "yes_no",
        "Avez-vous déjà mené une campagne de financement participatif ?",
        "Have you run a crowdfunding campaign before?",
        required=True,
    ),
    QuestionData(
        "number",
        "Combien de personnes portent le projet ?",
        "How many people run the project?",
        "Vous compris.",
        "Including you.",
        required=True,
    ),
]

QUESTIONS_2020 = [
    QuestionData(
        "text",
        "Nom de votre structure (le cas échéant)",
        "Name of your organisation (if any)",
        "Association, entreprise, collectif…",
        "Association, company, collective…",
    ),
    QUESTIONS_2019[0],
    QUESTIONS_2019[1],
    QuestionData(
        "multiple_choice",
        "De quel accompagnement avez-vous besoin ?",
        "What support do you need?",
        "Cochez tout ce qui vous serait utile.",
        "Tick everything that would help you.",
        choices=(
            "Communication | Communication\nPrototypage | Prototyping\n"
            "Statuts et questions juridiques | Company status and legal questions\n"
            "Recherche d'un local | Finding premises\n"
            "Financement complémentaire | Additional funding"
        ),
    ),
    QUESTIONS_2019[3],
    QUESTIONS_2019[2],
    QuestionData(
        "file",
        "Plan de financement (PDF)",
        "Financing plan (PDF)",
        "Un document PDF de 10 Mo au plus.",
        "A PDF document of 10 MB at most.",
    ),
]

STAGES = ["Une idée", "Un prototype", "Des premières ventes ou de premiers utilisateurs"]


def _p(name: str, email: str) -> Person:
    return Person(name, email)


# The 33 applications of MEL Makers 2019. The first maker is the demo maker login.
PROJECTS_2019 = [
    ProjectData(
        _p("Léa Vandamme", "lea.vandamme@makers.example"),
        "Roubaix",
        "entrepreneur",
        "Artisanat et design",
        "Mobilier upcyclé des friches textiles",
        "Des tables et des assises fabriquées avec le bois et l'acier récupérés dans les "
        "anciennes filatures de Roubaix.",
        "Depuis deux ans, je récupère les bobines, les palettes et les bâtis de métiers à "
        "tisser des usines qui ferment. Je les démonte, les traite et les assemble en "
        "mobilier pour les cafés, les bureaux et les particuliers. La collecte financera "
        "une scie à format et un an de loyer d'atelier à la Condition Publique.",
        "Chaque meuble sauve environ 40 kg de matériaux de la benne et raconte l'histoire "
        "textile de Roubaix.",
        8000,
        12500,
    ),
    ProjectData(
        _p("Karim Benali", "karim.benali@makers.example"),
        "Villeneuve-d'Ascq",
        "student",
        "Santé et handicap",
        "Prothèses de main imprimées en 3D pour enfants",
        "Des mains mécaniques imprimées en 3D, ajustées sur mesure et offertes aux familles, "
        "fabriquées dans un atelier ouvert aux étudiants.",
        "Avec trois camarades de l'école d'ingénieurs, nous adaptons des modèles libres de "
        "mains mécaniques à la morphologie de chaque enfant. Une prothèse coûte moins de "
        "50 € de matière et se remplace quand l'enfant grandit. La collecte paiera deux "
        "imprimantes, les filaments et les déplacements vers les familles.",
        "Quinze enfants de la métropole sont équipés la première année, gratuitement.",
        12000,
        18000,
    ),
    ProjectData(
        _p("Margaux Delannoy", "margaux.delannoy@makers.example"),
        "Lille",
        "association",
        "Économie circulaire et réemploi",
        "Kit Repair Café nomade",
        "Une remorque-atelier pour organiser des Repair Cafés dans les quartiers sans "
        "local : outils, pièces détachées et fiches de réparation.",
        "Notre association anime un Repair Café à Fives depuis 2016. Beaucoup de quartiers "
        "nous demandent de venir, mais il faut du matériel sur place. La remorque contient "
        "deux établis pliants, l'outillage, un stock de pièces et des fiches illustrées "
        "pour réparer les pannes les plus courantes.",
        "Vingt Repair Cafés par an dans des quartiers qui n'en ont pas, environ 600 objets "
        "réparés.",
        6500,
        9000,
    ),
    ProjectData(
        _p("Antoine Deleporte", "antoine.deleporte@makers.example"),
        "Lambersart",
        "retired",
        "Alimentation et agriculture urbaine",
        "Ruches urbaines sur les toits de Lambersart",
        "Six ruches sur les toits d'équipements publics et une formation à l'apiculture "
        "urbaine pour les habitants.",
        "Apiculteur amateur depuis trente ans, je veux installer six ruches sur les toits "
        "de la médiathèque et de deux écoles, avec des ruches construites en atelier avec "
        "les habitants. Le miel sera vendu au marché au profit de l'entretien du rucher.",
        "Douze habitants formés chaque année et des visites pour toutes les classes de "
        "CM1 de la commune.",
        5000,
        7200,
    ),
    ProjectData(
        _p("Sarah Haddad", "sarah.haddad@makers.example"),
        "Lille",
        "entrepreneur",
        "Mobilité",
        "Remorque vélo modulable",
        "Une remorque pour vélo assemblée sans soudure, qui se transforme en chariot ou "
        "en étal de marché, fabriquée à Fives.",
        "J'ai dessiné une remorque en aluminium et contreplaqué qui s'assemble avec des "
        "pièces boulonnées : elle se répare avec une clé et se transforme en chariot à "
        "main ou en petit étal. Après dix prototypes testés par des livreurs, je lance "
        "une première série de cinquante remorques.",
        "Moins de camionnettes pour les livraisons du dernier kilomètre, et des "
        "commerçants ambulants équipés à petit prix.",
        15000,
        26000,
    ),
    ProjectData(
        _p("Julien Dewaele", "julien.dewaele@makers.example"),
        "Tourcoing",
        "employee",
        "Numérique et électronique",
        "Capteurs de qualité de l'air à monter soi-même",
        "Des kits de capteurs de particules fines à assembler en atelier, dont les mesures "
        "alimentent une carte ouverte de la qualité de l'air.",
        "Chaque kit comprend un capteur de particules, une carte Wi-Fi et un boîtier "
        "imprimé en 3D. Les ateliers de montage ont lieu en médiathèque ; les mesures sont "
        "publiées en données ouvertes, rue par rue.",
        "Cent capteurs installés sur les balcons de Tourcoing, et une carte que tout le "
        "monde peut consulter.",
        7000,
        9800,
    ),
    ProjectData(
        _p("Camille Lemaire", "camille.lemaire@makers.example"),
        "Marcq-en-Barœul",
        "entrepreneur",
        "Artisanat et design",
        "Luminaires en verre de bouteilles récupérées",
        "Des suspensions et des lampes taillées dans des bouteilles collectées auprès des "
        "bars et des restaurants de la métropole.",
        "Je coupe, ponce et assemble des bouteilles de bière et de vin pour créer des "
        "luminaires. La collecte permettra d'acheter un four de recuisson pour travailler "
        "des pièces plus grandes et de former une apprentie.",
        "Deux tonnes de verre réemployées par an au lieu d'être broyées.",
        4500,
        6000,
    ),
    ProjectData(
        _p("Youssef El Amrani", "youssef.elamrani@makers.example"),
        "Wattrelos",
        "jobseeker",
        "Économie circulaire et réemploi",
        "Atelier de réparation de vélos solidaire",
        "Remettre en état les vélos abandonnés dans les caves des bailleurs sociaux et les "
        "revendre à prix solidaire.",
        "Les bailleurs sociaux de Wattrelos évacuent chaque année des centaines de vélos "
        "abandonnés. Je les récupère, les répare avec des jeunes en insertion et les "
        "revends entre 30 et 80 €. L'atelier propose aussi des séances d'autoréparation.",
        "Trois cents vélos remis en circulation par an et deux emplois créés.",
        9000,
        13500,
    ),
    ProjectData(
        _p("Pauline Vanhoutte", "pauline.vanhoutte@makers.example"),
        "Croix",
        "association",
        "Culture et éducation",
        "Fablab mobile pour les collèges",
        "Un camion aménagé avec imprimantes 3D, découpe laser et électronique, qui passe "
        "une semaine dans chaque collège du secteur.",
        "Notre association veut aménager un camion en atelier de fabrication numérique. "
        "Il resterait une semaine dans chaque collège, avec un animateur, pour réaliser "
        "un projet choisi par les élèves.",
        "Deux mille collégiens initiés à la fabrication numérique chaque année.",
        15000,
        42000,
    ),
    ProjectData(
        _p("Hugo Lefebvre", "hugo.lefebvre@makers.example"),
        "Hellemmes",
        "entrepreneur",
        "Artisanat et design",
        "Skateboards en bois de récupération",
        "Des planches de skate pressées à partir de chutes de contreplaqué des menuiseries "
        "de la métropole.",
        "Les menuiseries jettent des chutes de contreplaqué de bouleau parfaites pour le "
        "skate. Je les presse en planches dans un moule que j'ai fabriqué, puis je les "
        "décore avec des artistes locaux. La collecte financera une presse hydraulique.",
        "Des planches fabriquées à 5 km du skatepark au lieu de 9 000 km.",
        5500,
        7800,
    ),
    ProjectData(
        _p("Inès Mabrouk", "ines.mabrouk@makers.example"),
        "Roubaix",
        "student",
        "Santé et handicap",
        "Vêtements adaptatifs pour personnes en fauteuil",
        "Une collection de vêtements à fermetures aimantées, conçue avec des personnes en "
        "fauteuil et cousue dans un atelier roubaisien.",
        "Étudiante en design textile, j'ai conçu avec huit personnes en fauteuil une "
        "collection facile à enfiler : fermetures aimantées, coupes adaptées à la position "
        "assise. Un atelier de confection de Roubaix produira la première série.",
        "Des vêtements faciles à mettre pour plus d'autonomie au quotidien, fabriqués localement.",
        10000,
        14500,
    ),
    ProjectData(
        _p("Mathieu Carpentier", "mathieu.carpentier@makers.example"),
        "Villeneuve-d'Ascq",
        "public_agent",
        "Numérique et électronique",
        "Bornes d'arcade en bois pour les médiathèques",
        "Des bornes de jeux rétro construites avec des adolescents, pour apprendre "
        "l'électronique et la programmation.",
        "Avec les adolescents du quartier, nous construisons des bornes d'arcade en bois : "
        "découpe, câblage, programmation de petits jeux. Les bornes sont ensuite prêtées "
        "aux médiathèques de la métropole.",
        "Trente jeunes formés par an et six bornes en prêt.",
        4000,
        5200,
    ),
    ProjectData(
        _p("Chloé Descamps", "chloe.descamps@makers.example"),
        "Lille",
        "entrepreneur",
        "Alimentation et agriculture urbaine",
        "Champignonnière sur marc de café",
        "Cultiver des pleurotes dans une cave de Wazemmes sur le marc de café collecté "
        "auprès de vingt cafés du quartier.",
        "Je collecte à vélo le marc de café de vingt établissements de Wazemmes et je "
        "l'utilise comme substrat pour cultiver des pleurotes dans une cave voûtée. Le "
        "substrat épuisé devient du compost pour les jardins partagés.",
        "Trois tonnes de marc de café valorisées par an et des champignons vendus au "
        "marché de Wazemmes.",
        8500,
        11000,
    ),
    ProjectData(
        _p("Nicolas Duhamel", "nicolas.duhamel@makers.example"),
        "Tourcoing",
        "employee",
        "Mobilité",
        "Vélo-cargo électrique en kit",
        "Un vélo-cargo à assembler soi-même en atelier, avec des plans ouverts et des "
        "pièces usinées localement.",
        "Les vélos-cargos coûtent cher. J'ai conçu un cadre en acier découpé au laser chez "
        "un sous-traitant de Tourcoing, que l'on assemble en deux week-ends d'atelier. "
        "Les plans sont publiés sous licence libre.",
        "Un vélo-cargo pour le prix d'un vélo électrique, et des familles qui laissent la "
        "voiture au garage.",
        14000,
        21000,
    ),
    ProjectData(
        _p("Amandine Wallart", "amandine.wallart@makers.example"),
        "Wasquehal",
        "association",
        "Économie circulaire et réemploi",
        "Matériauthèque de réemploi pour les écoles",
        "Collecter les chutes des entreprises (tissus, bois, carton) et les mettre à "
        "disposition des enseignants pour les activités manuelles.",
        "Nous collectons les chutes propres de quinze entreprises partenaires, nous les "
        "trions et les rangeons dans une matériauthèque ouverte deux fois par semaine aux "
        "enseignants et aux animateurs.",
        "Quarante écoles approvisionnées gratuitement en matériaux pour les arts plastiques.",
        3500,
        4800,
    ),
    ProjectData(
        _p("Thomas Verbeke", "thomas.verbeke@makers.example"),
        "Loos",
        "entrepreneur",
        "Artisanat et design",
        "Couteaux forgés dans l'acier de rail",
        "Forger des couteaux de cuisine dans l'acier de rails d'une ligne désaffectée, et "
        "ouvrir la forge aux initiations.",
        "Coutelier depuis cinq ans, je forge des lames dans l'acier de rails récupérés "
        "lors du démontage d'une voie de fret. Les manches sont taillés dans du bois de "
        "la métropole. La collecte financera un marteau-pilon.",
        "Des initiations à la forge pour cinquante personnes par an.",
        6000,
        8500,
    ),
    ProjectData(
        _p("Fatou Diallo", "fatou.diallo@makers.example"),
        "Lille",
        "association",
        "Culture et éducation",
        "Atelier couture et wax à Moulins",
        "Un atelier de couture participatif où les habitantes créent et vendent leurs "
        "pièces en wax, avec des machines partagées.",
        "Notre association réunit chaque semaine une vingtaine de couturières du quartier "
        "de Moulins. Nous voulons équiper un vrai atelier avec six machines et une "
        "surjeteuse, et ouvrir une boutique éphémère.",
        "Des revenus complémentaires pour vingt habitantes et un lieu de rencontre.",
        5000,
        7500,
    ),
    ProjectData(
        _p("Baptiste Hennebelle", "baptiste.hennebelle@makers.example"),
        "La Madeleine",
        "student",
        "Numérique et électronique",
        "Serre connectée open source",
        "Une petite serre pilotée par un microcontrôleur qui gère l'arrosage et "
        "l'aération, avec des plans et un code libres.",
        "La serre mesure l'humidité du sol, la température et la lumière, et commande "
        "l'arrosage et l'ouverture des fenêtres. Les plans et le code sont publiés pour "
        "que les écoles et les jardins partagés puissent la reproduire.",
        "Dix serres installées dans des jardins partagés et des écoles.",
        3000,
        4100,
    ),
    ProjectData(
        _p("Élodie Caron", "elodie.caron@makers.example"),
        "Mons-en-Barœul",
        "entrepreneur",
        "Artisanat et design",
        "Céramiques émaillées aux cendres locales",
        "Des bols et des assiettes dont les émaux sont faits avec les cendres de bois des "
        "boulangeries du quartier.",
        "Céramiste, je prépare mes émaux avec les cendres des fours à bois de trois "
        "boulangeries voisines : chaque fournée donne une couleur différente. La collecte "
        "financera un second four électrique.",
        "Une vaisselle locale pour les restaurants de la métropole et des ateliers pour "
        "les habitants.",
        4500,
        6300,
    ),
    ProjectData(
        _p("Rachid Bouzid", "rachid.bouzid@makers.example"),
        "Roubaix",
        "jobseeker",
        "Économie circulaire et réemploi",
        "Ordinateurs reconditionnés pour les familles",
        "Récupérer les ordinateurs des entreprises, les reconditionner sous Linux et les "
        "confier aux familles qui n'en ont pas.",
        "Les entreprises renouvellent leurs ordinateurs tous les quatre ans. Je les "
        "récupère, efface les données de façon certifiée, installe un système libre et les "
        "confie aux familles orientées par les centres sociaux, avec une formation.",
        "Deux cents familles équipées par an et moins de déchets électroniques.",
        9500,
        14000,
    ),
    ProjectData(
        _p("Manon Debruyne", "manon.debruyne@makers.example"),
        "Ronchin",
        "employee",
        "Santé et handicap",
        "Jeux sensoriels pour enfants autistes",
        "Des jeux en bois et en textile conçus avec des éducateurs spécialisés et "
        "fabriqués en petite série.",
        "Éducatrice spécialisée, je conçois avec mes collègues des jeux sensoriels "
        "robustes et lavables. Un atelier protégé de la métropole en assure la fabrication.",
        "Des jeux adaptés et abordables pour les familles et les établissements.",
        6000,
        8000,
    ),
    ProjectData(
        _p("Quentin Lagache", "quentin.lagache@makers.example"),
        "Faches-Thumesnil",
        "entrepreneur",
        "Mobilité",
        "Trottinettes réparables à vie",
        "Une trottinette mécanique dont chaque pièce se démonte et se remplace, vendue "
        "avec ses plans.",
        "Les trottinettes bon marché finissent à la poubelle à la première panne. La "
        "nôtre se démonte entièrement avec deux outils et chaque pièce est disponible "
        "pendant dix ans.",
        "Des trottinettes qui durent, et des pièces détachées fabriquées dans la métropole.",
        13000,
        20000,
    ),
    ProjectData(
        _p("Justine Ramette", "justine.ramette@makers.example"),
        "Armentières",
        "association",
        "Alimentation et agriculture urbaine",
        "Four à pain mobile pour les fêtes de quartier",
        "Un four à bois sur remorque, construit en terre et en briques de récupération, "
        "prêté aux associations.",
        "Nous construisons en chantier participatif un four à pain sur remorque. Il sera "
        "prêté gratuitement aux associations pour les fêtes de quartier, avec une "
        "formation à la cuisson.",
        "Trente fêtes de quartier par an autour du pain partagé.",
        7500,
        10200,
    ),
    ProjectData(
        _p("Olivier Plouvier", "olivier.plouvier@makers.example"),
        "Halluin",
        "retired",
        "Culture et éducation",
        "Restauration d'orgues de Barbarie",
        "Remettre en état trois orgues de Barbarie et créer des cartons perforés avec les "
        "écoles de musique.",
        "Ancien ébéniste, je restaure des orgues de Barbarie. Avec les élèves de l'école "
        "de musique, nous perforerons des cartons de morceaux qu'ils auront choisis, et "
        "les orgues joueront sur les marchés.",
        "Un patrimoine musical remis en route et des élèves qui apprennent l'arrangement.",
        5500,
        7000,
    ),
    ProjectData(
        _p("Aïcha Saïdi", "aicha.saidi@makers.example"),
        "Tourcoing",
        "entrepreneur",
        "Artisanat et design",
        "Maroquinerie en chambres à air",
        "Des sacs et des portefeuilles cousus dans des chambres à air de vélo et de camion "
        "récupérées.",
        "Je récupère les chambres à air auprès des réparateurs de vélos et des garages "
        "poids lourds, je les lave et je les coupe pour fabriquer des sacs et des "
        "portefeuilles étanches. La collecte financera une machine à coudre industrielle.",
        "Une tonne de caoutchouc réemployée par an.",
        4000,
        5500,
    ),
    ProjectData(
        _p("Guillaume Delattre", "guillaume.delattre@makers.example"),
        "Seclin",
        "employee",
        "Numérique et électronique",
        "Nichoirs connectés pour les écoles",
        "Des nichoirs équipés d'une caméra et de capteurs, installés dans les écoles, dont "
        "les images servent en cours de sciences.",
        "Les nichoirs sont fabriqués en bois local ; une petite caméra infrarouge filme la "
        "nichée sans la déranger. Les élèves suivent la ponte et l'envol en classe.",
        "Vingt écoles équipées et des données partagées avec les associations naturalistes.",
        5000,
        6800,
    ),
    ProjectData(
        _p("Émilie Masquelier", "emilie.masquelier@makers.example"),
        "Lys-lez-Lannoy",
        "entrepreneur",
        "Économie circulaire et réemploi",
        "Savons aux huiles de friture recyclées",
        "Transformer les huiles usagées des friteries en savon ménager, dans un petit atelier.",
        "Les friteries de la métropole produisent des milliers de litres d'huile usagée. "
        "Je les filtre et les saponifie pour fabriquer du savon ménager et de la lessive.",
        "Une filière locale pour un déchet souvent jeté dans les canalisations.",
        7000,
        9500,
    ),
    ProjectData(
        _p("Kevin Desmet", "kevin.desmet@makers.example"),
        "Comines",
        "student",
        "Santé et handicap",
        "Kit d'électrification pour fauteuil roulant",
        "Un kit à monter qui ajoute une assistance électrique à un fauteuil roulant "
        "manuel, pour un coût divisé par cinq.",
        "Le kit se fixe sans outil spécial sur la plupart des fauteuils manuels : un "
        "moteur dans la roue avant, une batterie de vélo et une commande au guidon. Il a "
        "été testé pendant six mois par quatre utilisateurs.",
        "Plus d'autonomie pour les personnes en fauteuil, à un prix accessible.",
        12000,
        17000,
    ),
    ProjectData(
        _p("Lucie Dhainaut", "lucie.dhainaut@makers.example"),
        "Haubourdin",
        "association",
        "Alimentation et agriculture urbaine",
        "Jardin partagé en bacs recyclés",
        "Des bacs de culture fabriqués avec des cuves récupérées, pour un jardin partagé "
        "au pied des immeubles.",
        "Nous découpons des cuves industrielles de 1 000 litres pour en faire des bacs de "
        "culture surélevés, accessibles aux personnes âgées et en fauteuil.",
        "Un jardin partagé pour les trois cents logements de la résidence.",
        3500,
        4600,
    ),
    ProjectData(
        _p("Maxime Cuvelier", "maxime.cuvelier@makers.example"),
        "Wambrechies",
        "entrepreneur",
        "Artisanat et design",
        "Ukulélés et cajóns en bois de la Deûle",
        "Des ukulélés et des cajóns fabriqués avec le bois des arbres abattus lors de "
        "l'entretien des berges de la Deûle.",
        "Luthier, je récupère le bois des frênes et des peupliers abattus sur les berges, "
        "je le fais sécher deux ans et je fabrique des instruments pour les écoles de "
        "musique.",
        "Des instruments locaux et abordables pour les écoles de musique.",
        6500,
        9000,
    ),
    ProjectData(
        _p("Nadia Khelifi", "nadia.khelifi@makers.example"),
        "Lille",
        "public_agent",
        "Culture et éducation",
        "Studio de podcast dans un conteneur",
        "Un conteneur maritime transformé en studio d'enregistrement ouvert aux jeunes de "
        "Lille-Sud.",
        "Le conteneur est isolé, équipé de micros et d'une table de mixage, et installé "
        "devant le centre social. Des animateurs accompagnent les jeunes dans l'écriture "
        "et l'enregistrement de leurs émissions.",
        "Une radio de quartier faite par les jeunes.",
        11000,
        16000,
    ),
    ProjectData(
        _p("Romain Fievet", "romain.fievet@makers.example"),
        "Hem",
        "jobseeker",
        "Économie circulaire et réemploi",
        "Mobilier de jardin en plastique recyclé",
        "Broyer les bouchons et les emballages plastiques collectés dans les écoles et les "
        "mouler en bancs et en tables.",
        "Avec des machines inspirées du projet Precious Plastic, nous broyons et "
        "fondons le plastique collecté dans les écoles pour mouler des planches, puis des "
        "bancs et des tables de jardin.",
        "Cinq tonnes de plastique transformées et du mobilier pour les cours d'école.",
        10000,
        15500,
    ),
    ProjectData(
        _p("Stéphanie Leclercq", "stephanie.leclercq@makers.example"),
        "Mouvaux",
        "employee",
        "Artisanat et design",
        "Papier artisanal en jean recyclé",
        "Fabriquer du papier d'art et des carnets à partir de jeans usés collectés dans "
        "les boutiques solidaires.",
        "Le coton des jeans usés donne un papier épais et solide. Je le fabrique feuille "
        "à feuille, puis je relie des carnets vendus en librairie et sur les marchés de "
        "créateurs.",
        "Des jeans qui ne finissent pas à l'incinérateur, et des ateliers pour les habitants.",
        3000,
        3900,
    ),
]

# Index in PROJECTS_2019 -> reason the application was found ineligible.
INELIGIBLE_2019 = {
    8: "Le plan de financement n'est pas bouclé : le budget total (42 000 €) dépasse "
    "largement l'objectif de collecte sans autre financement acquis (règlement, article 5).",
    11: "Le projet a déjà été lauréat de MEL Makers en 2018 (règlement, article 3).",
    21: "La société porteuse compte plus de dix salariés ; l'appel est réservé aux makers "
    "indépendants, aux associations et aux petites structures (règlement, article 2).",
    26: "Dossier incomplet : l'atelier ne dispose pas encore de l'autorisation requise "
    "pour fabriquer des produits d'entretien, et aucun calendrier n'est fourni.",
    30: "Le projet est présenté au nom d'un service municipal ; les agents publics ne "
    "peuvent candidater qu'à titre personnel (règlement, article 2).",
}

# --- the second organiser -------------------------------------------------------------------

DOUAISIS = {
    "name": "Communauté d'agglomération du Douaisis",
    "slug": "douaisis",
    "website": "",
}

DOUAISIS_PARTNERS = [
    PartnerData(
        "Fablab des Gayants",
        "fablab-des-gayants",
        "Atelier de fabrication numérique associatif du centre de Douai.",
        Person("Franck Delcourt", "franck.delcourt@fablab-gayants.example"),
    ),
]

DOUAISIS_PROGRAMME = {
    "name": "Douaisis Fabrique 2020",
    "slug": "douaisis-fabrique-2020",
    "tagline": "Les makers du Douaisis font leur collecte.",
    "description": (
        "Douaisis Fabrique accompagne les makers des communes de l'agglomération : "
        "artisans, associations, étudiants et bricoleurs qui fabriquent sur le territoire "
        "du bassin minier.\n\nLes lauréats lancent une campagne de financement "
        "participatif accompagnée par l'agglomération et ses partenaires."
    ),
    "communes": [
        "Douai",
        "Sin-le-Noble",
        "Waziers",
        "Cuincy",
        "Lambres-lez-Douai",
        "Flers-en-Escrebieux",
        "Guesnain",
        "Dechy",
        "Roost-Warendin",
        "Arleux",
        "Lewarde",
    ],
    "categories": ["Artisanat", "Économie circulaire", "Numérique", "Patrimoine minier"],
    "primary_colour": "#1B4D3E",
    "secondary_colour": "#C9A227",
    "min_goal": Decimal("2000"),
    "max_goal": Decimal("10000"),
}

PROJECTS_DOUAISIS = [
    ProjectData(
        _p("Benoît Lenglet", "benoit.lenglet@makers.example"),
        "Douai",
        "entrepreneur",
        "Patrimoine minier",
        "Bijoux en schiste des terrils",
        "Des bijoux taillés et polis dans le schiste et le charbon ramassés sur les "
        "terrils du bassin minier.",
        "Je taille et polis à la main le schiste des terrils pour en faire des bijoux, "
        "vendus avec l'histoire de la fosse d'où vient chaque pierre.",
        "Un souvenir fabriqué ici, qui fait connaître le patrimoine minier.",
        4000,
        5600,
    ),
    ProjectData(
        _p("Sandrine Lefranc", "sandrine.lefranc@makers.example"),
        "Sin-le-Noble",
        "association",
        "Économie circulaire",
        "Ressourcerie du jouet",
        "Collecter, réparer et revendre à petit prix les jouets dont les familles ne veulent plus.",
        "Nous réparons et nettoyons les jouets donnés, complétons les jeux de société et "
        "les revendons dans une boutique associative.",
        "Des milliers de jouets qui servent une seconde fois.",
        6000,
        8200,
    ),
    ProjectData(
        _p("Jordan Marlière", "jordan.marliere@makers.example"),
        "Waziers",
        "student",
        "Numérique",
        "Robot de tri des déchets pour la cantine",
        "Un robot qui aide les élèves à trier les déchets de la cantine, construit avec "
        "eux au collège.",
        "Une caméra et un petit modèle de reconnaissance d'images indiquent dans quel bac "
        "jeter chaque déchet. Les élèves construisent et programment le robot.",
        "Moins de déchets mal triés et des élèves initiés à la robotique.",
        5000,
        6500,
    ),
]
