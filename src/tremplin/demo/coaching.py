"""The coaching part of the demo (``demo.load`` calls ``load_coaching_demo`` last):

- Tremplin Makers Lille — hiver, fourth campaign (Teintures végétales de Tourcoing): half
  of its readiness checklist done (one manual item confirmed by the coach, one ticked and
  waiting, 12 of the 20 people of its first circle), a conversation with its coach (with
  the notes of a first meeting), a private note of the coach, and two times proposed for
  the next meeting;
- MEL Makers 2020: two upcoming workshops (one full, with a waiting list; one online with
  places left) and one past workshop with its attendance taken and its materials shared.

Rows are written directly (no e-mail goes out while the demo loads), with the audit
entries the domain functions would have written."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.coaching import actions
from tremplin.coaching.enums import Audience, MessageKind, RegistrationState
from tremplin.coaching.models import (
    ChecklistTick,
    CoachNote,
    FirstCircleContact,
    MeetingSlot,
    Message,
    Workshop,
    WorkshopMaterial,
    WorkshopRegistration,
)
from tremplin.coaching.thread import render_markdown
from tremplin.core.audit import log_action
from tremplin.core.dates import PARIS
from tremplin.core.models import User
from tremplin.demo import data

FOURTH_CAMPAIGN = "teintures-vegetales-de-tourcoing"

FIRST_CIRCLE = [
    ("Nadia Marchand", "sœur"),
    ("Paul Lemaire", "voisin"),
    ("Jardin partagé du Pont-Rompu", "partenaire"),
    ("Jardin des Orions", "partenaire"),
    ("Claire Dufour", "couturière"),
    ("Atelier Fil & Aiguille", "client"),
    ("Hugo Marchand", "frère"),
    ("Léa Vandenbussche", "amie"),
    ("Marc Delattre", "ancien collègue"),
    ("Association Tourcoing en transition", "partenaire"),
    ("Julie Caron", "amie"),
    ("Mercerie de la Grand-Place", "cliente"),
]

THREAD = [
    (
        "coach",
        9,
        "Bonjour Sophie, j'ai lu votre page : le récit des jardins partagés est très fort. "
        "Avant le lancement, on travaille trois points :\n\n- une **troisième contrepartie** "
        "autour de 40 €\n- la vidéo (pensez aux sous-titres)\n- votre premier cercle : "
        "visez 20 personnes prêtes le jour J",
    ),
    (
        "maker",
        8,
        "Merci Julien ! J'ai ajouté un atelier d'initiation à 45 € en contrepartie. Pour la "
        "vidéo, je la tourne au jardin samedi.",
    ),
    (
        "notes",
        6,
        "## Rendez-vous du lancement\n\n1. Contreparties : trois paliers validés\n2. Premier "
        "cercle : 12 personnes listées, objectif 20 d'ici la semaine prochaine\n3. Plan de "
        "lancement : écrit, relu ensemble",
    ),
    (
        "maker",
        2,
        "J'ai tourné la vidéo ! Je prépare la transcription pour les sous-titres. "
        "Pouvez-vous confirmer que les premiers contributeurs sont prêts ? J'ai leurs "
        "promesses par écrit.",
    ),
]


def _pdf(title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 20)
    page.drawString(60, 760, title)
    page.setFont("Helvetica", 12)
    for i, line in enumerate(
        [
            "1. Le premier cercle : 30 % de l'objectif dans la première semaine.",
            "2. Trois contreparties, dont une autour de 40 euros.",
            "3. Une actualite par semaine, une relance a mi-parcours.",
        ]
    ):
        page.drawString(60, 720 - 24 * i, line)
    page.showPage()
    page.save()
    return out.getvalue()


def _fourth_campaign(now: datetime) -> int:
    campaign = Campaign.objects.select_related("application__maker", "coach", "programme").get(
        slug=FOURTH_CAMPAIGN
    )
    maker, coach = campaign.maker, campaign.coach or User.objects.get(email=data.COACH.email)
    entries = 0
    ChecklistTick.objects.create(
        campaign=campaign,
        key="plan",
        ticked_by=maker,
        ticked_at=now - timedelta(days=6, hours=2),
        confirmed_by=coach,
        confirmed_at=now - timedelta(days=6),
    )
    ChecklistTick.objects.create(
        campaign=campaign, key="day-one", ticked_by=maker, ticked_at=now - timedelta(days=2)
    )
    FirstCircleContact.objects.bulk_create(
        FirstCircleContact(campaign=campaign, name=name, relation=relation)
        for name, relation in FIRST_CIRCLE
    )
    for action, user in (
        (actions.CHECKLIST_TICKED, maker),
        (actions.CHECKLIST_CONFIRMED, coach),
        (actions.CHECKLIST_TICKED, maker),
        (actions.FIRST_CIRCLE_CHANGED, maker),
    ):
        log_action(action, obj=campaign, user=user)
        entries += 1
    meeting = MeetingSlot.objects.create(
        campaign=campaign,
        coach=coach,
        starts_at=_paris_day(now, -6, 14),
        duration_minutes=60,
        place="Maison des associations, Tourcoing",
        booked_at=now - timedelta(days=8),
        booked_by=maker,
        reminder_sent_at=now - timedelta(days=7),
    )
    for who, days_ago, body in THREAD:
        author = maker if who == "maker" else coach
        kind = MessageKind.MEETING_NOTES if who == "notes" else MessageKind.MESSAGE
        message = Message.objects.create(
            campaign=campaign, author=author, kind=kind, body=body, body_html=render_markdown(body)
        )
        Message.objects.filter(pk=message.pk).update(created_at=now - timedelta(days=days_ago))
        if kind == MessageKind.MEETING_NOTES:
            MeetingSlot.objects.filter(pk=meeting.pk).update(notes=message)
        log_action(actions.THREAD_MESSAGE, obj=campaign, user=author, data={"kind": kind})
        entries += 1
    CoachNote.objects.create(
        campaign=campaign,
        author=coach,
        body="Sophie doute de son premier cercle : la rassurer, lui proposer de relire ses "
        "messages de lancement.",
    )
    log_action(actions.COACH_NOTE, obj=campaign, user=coach)
    for days in (3, 4):
        MeetingSlot.objects.create(
            campaign=campaign,
            coach=coach,
            starts_at=_paris_day(now, days, 10),
            duration_minutes=45,
            place="Visio : https://visio.example.org/tremplin-teintures",
        )
    log_action(actions.MEETING_PROPOSED, obj=campaign, user=coach)
    return entries + 2


def _paris_day(now: datetime, days: int, hour: int) -> datetime:
    day = timezone.localtime(now, PARIS).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


def _workshops(now: datetime) -> int:
    programme = Programme.objects.get(slug=data.PROGRAMME_2020["slug"])
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    coach = User.objects.get(email=data.COACH.email)
    full = Workshop.objects.create(
        programme=programme,
        title="Réussir sa collecte : les 30 premiers jours",
        description="Préparer son premier cercle, écrire ses contreparties, tenir le rythme "
        "pendant la collecte. Atelier pratique, apportez votre projet.",
        place="La Plaine Images",
        address="99A boulevard Descat, 59200 Tourcoing",
        starts_at=_paris_day(now, 5, 18),
        duration_minutes=120,
        capacity=12,
        audience=Audience.PUBLIC,
        created_by=manager,
    )
    online = Workshop.objects.create(
        programme=programme,
        title="Raconter son projet en une minute de vidéo",
        description="Écrire, tourner et sous-titrer la vidéo de sa campagne avec un téléphone.",
        online_url="https://visio.example.org/atelier-video",
        starts_at=_paris_day(now, 12, 12),
        duration_minutes=90,
        capacity=30,
        audience=Audience.APPLICANTS,
        created_by=coach,
    )
    past = Workshop.objects.create(
        programme=programme,
        title="Candidater à MEL Makers : questions-réponses",
        description="Les critères du jury, le dossier, les questions des candidats.",
        place="Euratechnologies",
        address="165 avenue de Bretagne, 59000 Lille",
        starts_at=_paris_day(now, -10, 18),
        duration_minutes=90,
        capacity=40,
        audience=Audience.PUBLIC,
        created_by=manager,
        reminders_sent_at=now - timedelta(days=11),
        materials_shared_at=now - timedelta(days=9),
    )
    people = [
        (f"{first} {last}", f"{first}.{last}@visiteurs.example".lower())
        for first, last in (
            ("Amélie", "Roussel"),
            ("Bastien", "Leroy"),
            ("Chloé", "Dupont"),
            ("David", "Martin"),
            ("Emma", "Bernard"),
            ("Farid", "Haddad"),
            ("Gaëlle", "Petit"),
            ("Hélène", "Robert"),
            ("Ismaël", "Diallo"),
            ("Jeanne", "Richard"),
            ("Kevin", "Durand"),
            ("Laura", "Moreau"),
            ("Mehdi", "Simon"),
            ("Nora", "Laurent"),
            ("Olivier", "Michel"),
        )
    ]
    rows = []
    for i, (name, email) in enumerate(people):
        state = RegistrationState.CONFIRMED if i < full.capacity else RegistrationState.WAITING
        rows.append(WorkshopRegistration(workshop=full, name=name, email=email, state=state))
    for name, email in people[:4]:
        rows.append(WorkshopRegistration(workshop=online, name=name, email=email))
    for i, (name, email) in enumerate(people[:9]):
        rows.append(
            WorkshopRegistration(
                workshop=past, name=name, email=email, attended=i < 7, reminder_sent_at=now
            )
        )
    WorkshopRegistration.objects.bulk_create(rows)
    material = WorkshopMaterial(workshop=past, title="Support de l'atelier (PDF)")
    material.file.save(
        "support-atelier.pdf", ContentFile(_pdf("Candidater a MEL Makers")), save=False
    )
    material.save()
    WorkshopMaterial.objects.create(
        workshop=past, title="Le règlement de l'appel", url="https://www.lillemetropole.fr/"
    )
    for workshop, user in ((full, manager), (online, coach), (past, manager)):
        log_action(actions.WORKSHOP_SCHEDULED, obj=workshop, user=user)
    log_action(actions.WORKSHOP_ATTENDANCE, obj=past, user=manager, data={"attended": 7})
    log_action(actions.WORKSHOP_MATERIALS_SHARED, obj=past, user=manager, data={"attended": 7})
    return 5


def load_coaching_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {"audit_log_entries": _fourth_campaign(now) + _workshops(now)}
