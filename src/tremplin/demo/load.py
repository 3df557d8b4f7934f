"""Load the demo data fast: one transaction, rows created in bulk, one password hash.

Rows are written directly (the domain functions refuse to submit to a call whose deadline
has passed, which is exactly the 2019 edition's history), and the audit log gets the same
entries the domain functions would have written, dated when they happened, so the
organiser sees the history of every programme and application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from tremplin.calls import actions as calls_actions
from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Answer, Application, Programme, Question
from tremplin.core.dates import PARIS
from tremplin.core.models import (
    AuditLog,
    Organiser,
    OrganiserMembership,
    OrganiserRole,
    Partner,
    PartnerMembership,
    User,
)
from tremplin.demo import data
from tremplin.demo.history import day_at, paris
from tremplin.demo.past_editions import load_past_editions_demo
from tremplin.demo.tracking import load_tracking_demo


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    note: str = ""


DEMO_LOGINS = [
    DemoLogin("Platform staff", data.STAFF.email, "must set up TOTP at first login"),
    DemoLogin("Organiser manager (MEL)", data.MEL_MANAGER.email),
    DemoLogin("Organiser viewer (MEL, read-only)", data.MEL_VIEWER.email),
    DemoLogin(
        "Partner member (Université de Lille)",
        data.MEL_PARTNERS[0].member.email,
        "relays the winter campaigns: /relais/",
    ),
    DemoLogin("Coach", data.COACH.email),
    DemoLogin(
        "Maker with a submitted application", data.PROJECTS_2019[0].maker.email, "MEL Makers 2019"
    ),
    DemoLogin("Manager of a second organiser (Douaisis)", data.DOUAISIS_MANAGER.email),
    DemoLogin(
        "Maker with a live campaign",
        "malik.benhamou@makers.example",
        "Tremplin Makers Lille — hiver",
    ),
    DemoLogin(
        "Juror with a ballot to fill in (Douaisis)",
        data.DOUAISIS_PARTNERS[0].member.email,
        "Douaisis Fabrique 2020, jury open",
    ),
]


def database_is_empty() -> bool:
    """True when nobody and nothing is there yet: the only case where the demo loads."""
    return not (User.objects.exists() or Organiser.objects.exists())


def demo_is_loaded() -> bool:
    return Programme.objects.filter(slug=data.PROGRAMME_2019["slug"]).exists()


class _Loader:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.password = make_password(data.DEMO_PASSWORD)  # hashed once, shared by all
        self.logs: list[tuple[AuditLog, datetime]] = []
        self.ct_programme = ContentType.objects.get_for_model(Programme)
        self.ct_application = ContentType.objects.get_for_model(Application)

    # -- helpers -------------------------------------------------------------------------

    def users(self, people: list[data.Person], **flags: Any) -> list[User]:
        users = User.objects.bulk_create(
            [
                User(
                    email=person.email,
                    full_name=person.full_name,
                    language="fr",
                    password=self.password,
                    **{"date_joined": self.now, **flags},
                )
                for person in people
            ]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
        )
        return users

    def log(
        self,
        action: str,
        when: datetime,
        *,
        organiser: Organiser,
        obj: Programme | Application,
        user: User | None,
        log_data: dict | None = None,
    ) -> None:
        content_type = self.ct_programme if isinstance(obj, Programme) else self.ct_application
        entry = AuditLog(
            action=action,
            user=user,
            organiser=organiser,
            content_type=content_type,
            object_id=str(obj.pk),
            data=log_data or {},
        )
        self.logs.append((entry, when))

    def write_logs(self) -> None:
        entries = AuditLog.objects.bulk_create([entry for entry, _when in self.logs])
        # ``created_at`` is auto_now_add: bulk_update writes the historical dates after.
        for entry, (_same, when) in zip(entries, self.logs, strict=True):
            entry.created_at = when
        AuditLog.objects.bulk_update(entries, ["created_at"], batch_size=500)

    def organiser(
        self, fields: dict, partners: list[data.PartnerData], created: datetime
    ) -> tuple[Organiser, list[Partner]]:
        organiser = Organiser.objects.create(**fields)
        Organiser.objects.filter(pk=organiser.pk).update(created_at=created)
        partner_rows = Partner.objects.bulk_create(
            [
                Partner(organiser=organiser, name=p.name, slug=p.slug, description=p.description)
                for p in partners
            ]
        )
        members = self.users([p.member for p in partners])
        PartnerMembership.objects.bulk_create(
            [
                PartnerMembership(partner=partner, user=member)
                for partner, member in zip(partner_rows, members, strict=True)
            ]
        )
        return organiser, partner_rows

    def programme(
        self,
        organiser: Organiser,
        fields: dict,
        *,
        state: str,
        partners: list[Partner],
        questions: list[data.QuestionData],
        created: datetime,
        created_by: User,
    ) -> tuple[Programme, list[Question]]:
        programme = Programme.objects.create(organiser=organiser, state=state, **fields)
        Programme.objects.filter(pk=programme.pk).update(created_at=created, updated_at=created)
        programme.partners.set(partners)
        question_rows = Question.objects.bulk_create(
            [
                Question(programme=programme, position=i, **q._asdict())
                for i, q in enumerate(questions, start=1)
            ]
        )
        self.log(
            calls_actions.PROGRAMME_CREATED,
            created,
            organiser=organiser,
            obj=programme,
            user=created_by,
            log_data={"changed": {"name": programme.name, "slug": programme.slug}},
        )
        return programme, question_rows

    def transition(
        self,
        programme: Programme,
        action: str,
        old: str,
        new: str,
        when: datetime,
        user: User,
    ) -> None:
        self.log(
            action,
            when,
            organiser=programme.organiser,
            obj=programme,
            user=user,
            log_data={"from": old, "to": new},
        )

    def applications(
        self,
        programme: Programme,
        projects: list[data.ProjectData],
        makers: list[User],
        submitted: list[datetime],
    ) -> list[Application]:
        rows = Application.objects.bulk_create(
            [
                Application(
                    programme=programme,
                    maker=maker,
                    state=ApplicationState.SUBMITTED,
                    title=project.title,
                    summary=project.summary,
                    description=project.description,
                    category=project.category,
                    commune=project.commune,
                    maker_profile=project.profile,
                    maker_name=project.maker.full_name,
                    maker_phone=f"06 39 98 {10 + i:02d} {20 + i:02d}",
                    funding_goal=Decimal(project.goal),
                    budget=Decimal(project.budget),
                    submitted_at=when,
                )
                for i, (project, maker, when) in enumerate(
                    zip(projects, makers, submitted, strict=True)
                )
            ]
        )
        for row, when in zip(rows, submitted, strict=True):
            row.created_at = when - timedelta(days=3, hours=2)
            row.updated_at = when
        Application.objects.bulk_update(rows, ["created_at", "updated_at"])
        for row, maker, when in zip(rows, makers, submitted, strict=True):
            created = when - timedelta(days=3, hours=2)
            self.log(
                calls_actions.APPLICATION_CREATED,
                created,
                organiser=programme.organiser,
                obj=row,
                user=maker,
                log_data={"state": ApplicationState.DRAFT},
            )
            self.log(
                calls_actions.APPLICATION_SUBMITTED,
                when,
                organiser=programme.organiser,
                obj=row,
                user=maker,
            )
        return rows

    # -- the demo --------------------------------------------------------------------------

    def load(self) -> dict[str, int]:
        staff = self.users([data.STAFF], is_staff=True, is_superuser=True)[0]
        coach = self.users([data.COACH], is_coach=True)[0]
        del staff, coach  # their role is all they need

        # The Métropole Européenne de Lille, its team and its nine partners.
        mel, mel_partners = self.organiser(data.MEL, data.MEL_PARTNERS, paris(2018, 1, 15, 10))
        manager, viewer = self.users([data.MEL_MANAGER, data.MEL_VIEWER])
        OrganiserMembership.objects.bulk_create(
            [
                OrganiserMembership(organiser=mel, user=manager, role=OrganiserRole.MANAGER),
                OrganiserMembership(organiser=mel, user=viewer, role=OrganiserRole.VIEWER),
            ]
        )
        self.load_2019(mel, mel_partners, manager)
        self.load_2020(mel, mel_partners, manager)
        self.load_douaisis()
        self.write_logs()
        from tremplin.demo.jury import load_jury_demo  # the juries: 2019 published, one open

        jury_logs = load_jury_demo(self.now)["audit_log_entries"]
        from tremplin.demo.campaigns import load_campaigns_demo  # 2019 closed, winter live

        jury_logs += load_campaigns_demo(self.now)["audit_log_entries"]
        from tremplin.demo.relay import load_relay_demo  # a partner's relays, what they brought

        load_relay_demo(self.now)
        load_tracking_demo(self.now)  # channels, visits, the daily series back-filled
        load_past_editions_demo()  # MEL Makers 2018, imported from CSV (tracking)
        from tremplin.demo.tracking_alerts import load_tracking_alerts_demo  # winter alerts

        load_tracking_alerts_demo(self.now)
        from tremplin.demo.kit import load_kit_demo  # kits: 2019 released, winter one waiting

        load_kit_demo(self.now)
        from tremplin.demo.donors import load_donors_demo  # tax receipts, contributors' space

        load_donors_demo(self.now)
        from tremplin.demo.privacy import load_privacy_demo  # an erasure, an export, retention

        load_privacy_demo(self.now)
        from tremplin.demo.coaching import load_coaching_demo  # checklist, thread, workshops

        jury_logs += load_coaching_demo(self.now)["audit_log_entries"]
        return {
            "users": User.objects.count(),
            "applications": Application.objects.count(),
            "audit_log_entries": len(self.logs) + jury_logs,
        }

    def load_2019(self, mel: Organiser, partners: list[Partner], manager: User) -> None:
        fields = {
            **data.PROGRAMME_2019,
            "description": data.MEL_DESCRIPTION,
            "communes": "\n".join(data.MEL_COMMUNES),
            "categories": "\n".join(data.MEL_CATEGORIES),
            "call_opens_at": paris(2019, 3, 1, 9),
            "call_closes_at": paris(2019, 4, 30, 23, 59),
            "jury_starts_at": paris(2019, 5, 20, 9),
            "jury_ends_at": paris(2019, 6, 14, 18),
            "results_at": paris(2019, 6, 27, 18),
            "campaigns_start_at": paris(2019, 9, 9, 10),
            "campaigns_end_at": paris(2019, 10, 18, 23, 59),
        }
        programme, questions = self.programme(
            mel,
            fields,
            state=ProgrammeState.SCREENING,
            partners=partners,
            questions=data.QUESTIONS_2019,
            created=paris(2019, 2, 4, 14, 30),
            created_by=manager,
        )
        self.transition(
            programme,
            calls_actions.PROGRAMME_CALL_OPENED,
            ProgrammeState.DRAFT,
            ProgrammeState.CALL_OPEN,
            paris(2019, 3, 1, 9),
            manager,
        )
        self.transition(
            programme,
            calls_actions.PROGRAMME_CALL_CLOSED,
            ProgrammeState.CALL_OPEN,
            ProgrammeState.CALL_CLOSED,
            paris(2019, 5, 2, 9, 5),
            manager,
        )
        self.transition(
            programme,
            calls_actions.PROGRAMME_SCREENING_STARTED,
            ProgrammeState.CALL_CLOSED,
            ProgrammeState.SCREENING,
            paris(2019, 5, 2, 9, 10),
            manager,
        )

        projects = data.PROJECTS_2019
        makers = self.users([p.maker for p in projects], date_joined=paris(2019, 3, 1, 12))
        # Submissions spread over March and April, most of them in the last week.
        submitted = []
        for i in range(len(projects)):
            day = paris(2019, 3, 4) + timedelta(days=(i * 53) // len(projects))
            submitted.append(day + timedelta(hours=8 + (i * 7) % 14, minutes=(i * 17) % 60))
        applications = self.applications(programme, projects, makers, submitted)

        answers = []
        for i, (project, application) in enumerate(zip(projects, applications, strict=True)):
            values = [project.impact, data.STAGES[i % 3], i % 4 == 0, 1 + i % 4]
            answers += [
                Answer(application=application, question=q, value=v)
                for q, v in zip(questions, values, strict=True)
            ]
        Answer.objects.bulk_create(answers)

        # Screening: 28 eligible, 5 ineligible with the reason, in the first half of May.
        for i, application in enumerate(applications):
            reason = data.INELIGIBLE_2019.get(i, "")
            application.eligibility = Eligibility.INELIGIBLE if reason else Eligibility.ELIGIBLE
            application.eligibility_reason = reason
            application.screened_at = paris(2019, 5, 6 + i // 5, 10 + i % 5, (i * 11) % 60)
            application.screened_by = manager
            self.log(
                calls_actions.APPLICATION_SCREENED,
                application.screened_at,
                organiser=mel,
                obj=application,
                user=manager,
                log_data={
                    "from": Eligibility.PENDING,
                    "to": application.eligibility,
                    "reason": reason,
                },
            )
        Application.objects.bulk_update(
            applications, ["eligibility", "eligibility_reason", "screened_at", "screened_by"]
        )

    def load_2020(self, mel: Organiser, partners: list[Partner], manager: User) -> None:
        # The call opened two weeks ago and closes 45 days after the demo is loaded.
        today = timezone.localdate(self.now, PARIS)
        opens = day_at(today - timedelta(days=14), 9)
        deadline = today + timedelta(days=45)
        fields = {
            **data.PROGRAMME_2020,
            "description": data.MEL_DESCRIPTION,
            "communes": "\n".join(data.MEL_COMMUNES),
            "categories": "\n".join(data.MEL_CATEGORIES),
            "call_opens_at": opens,
            "call_closes_at": day_at(deadline, 23, 59),
            "jury_starts_at": day_at(deadline + timedelta(days=15), 9),
            "jury_ends_at": day_at(deadline + timedelta(days=36), 18),
            "results_at": day_at(deadline + timedelta(days=50), 18),
            "campaigns_start_at": day_at(deadline + timedelta(days=85), 10),
            "campaigns_end_at": day_at(deadline + timedelta(days=123), 23, 59),
        }
        programme, _questions = self.programme(
            mel,
            fields,
            state=ProgrammeState.CALL_OPEN,
            partners=partners,
            questions=data.QUESTIONS_2020,
            created=day_at(today - timedelta(days=24), 14, 30),
            created_by=manager,
        )
        self.transition(
            programme,
            calls_actions.PROGRAMME_CALL_OPENED,
            ProgrammeState.DRAFT,
            ProgrammeState.CALL_OPEN,
            opens,
            manager,
        )

    def load_douaisis(self) -> None:
        douaisis, partners = self.organiser(
            data.DOUAISIS, data.DOUAISIS_PARTNERS, paris(2019, 11, 4, 9)
        )
        manager = self.users([data.DOUAISIS_MANAGER])[0]
        OrganiserMembership.objects.create(
            organiser=douaisis, user=manager, role=OrganiserRole.MANAGER
        )
        today = timezone.localdate(self.now, PARIS)
        opens = day_at(today - timedelta(days=7), 9)
        deadline = today + timedelta(days=30)
        fields = {
            **data.DOUAISIS_PROGRAMME,
            "communes": "\n".join(data.DOUAISIS_PROGRAMME["communes"]),
            "categories": "\n".join(data.DOUAISIS_PROGRAMME["categories"]),
            "call_opens_at": opens,
            "call_closes_at": day_at(deadline, 23, 59),
            "campaigns_start_at": day_at(deadline + timedelta(days=60), 10),
            "campaigns_end_at": day_at(deadline + timedelta(days=100), 23, 59),
        }
        programme, questions = self.programme(
            douaisis,
            fields,
            state=ProgrammeState.CALL_OPEN,
            partners=partners,
            questions=[data.QUESTIONS_2019[0], data.QUESTIONS_2019[3]],
            created=day_at(today - timedelta(days=12), 11),
            created_by=manager,
        )
        self.transition(
            programme,
            calls_actions.PROGRAMME_CALL_OPENED,
            ProgrammeState.DRAFT,
            ProgrammeState.CALL_OPEN,
            opens,
            manager,
        )
        projects = data.PROJECTS_DOUAISIS
        makers = self.users([p.maker for p in projects], date_joined=opens)
        submitted = [
            min(opens + timedelta(days=2 + 2 * i, hours=6 + i), self.now - timedelta(hours=1 + i))
            for i in range(len(projects))
        ]
        applications = self.applications(programme, projects, makers, submitted)
        Answer.objects.bulk_create(
            [
                Answer(application=application, question=q, value=v)
                for i, (project, application) in enumerate(zip(projects, applications, strict=True))
                for q, v in zip(questions, [project.impact, 1 + i], strict=True)
            ]
        )


def load_demo(now: datetime | None = None) -> dict[str, int]:
    """Load the whole demo in one transaction: all of it or nothing. The caller checks
    that the database is empty (see ``database_is_empty``)."""
    with transaction.atomic():
        return _Loader(now or timezone.now()).load()
