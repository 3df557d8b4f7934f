"""factory_boy factories for test data (pretalx's habit)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tremplin.calls.enums import ApplicationState, ProgrammeState, QuestionKind
from tremplin.calls.models import Answer, Application, Programme, Question
from tremplin.core.models import (
    Organiser,
    OrganiserMembership,
    OrganiserRole,
    Partner,
    PartnerMembership,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    language = "fr"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Métropole {n}")
    slug = factory.Sequence(lambda n: f"metropole-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganiserMembership

    organiser = factory.SubFactory(OrganiserFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganiserRole.MANAGER


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organiser = factory.SubFactory(OrganiserFactory)
    name = factory.Sequence(lambda n: f"Partenaire {n}")
    slug = factory.Sequence(lambda n: f"partenaire-{n}")


class PartnerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMembership

    partner = factory.SubFactory(PartnerFactory)
    user = factory.SubFactory(UserFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """By default a programme whose call is open now and closes in 30 days."""

    class Meta:
        model = Programme

    organiser = factory.SubFactory(OrganiserFactory)
    name = factory.Sequence(lambda n: f"Makers {2020 + n}")
    slug = factory.Sequence(lambda n: f"makers-{2020 + n}")
    description = "Un appel à projets pour les makers du territoire."
    state = ProgrammeState.CALL_OPEN
    categories = "Artisanat\nNumérique\nÉconomie circulaire"
    communes = "Lille\nRoubaix\nTourcoing"
    call_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    call_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    programme = factory.SubFactory(ProgrammeFactory)
    kind = QuestionKind.TEXT
    label_fr = factory.Sequence(lambda n: f"Question {n}")
    label_en = factory.Sequence(lambda n: f"Question {n} (en)")
    position = factory.Sequence(lambda n: n)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    programme = factory.SubFactory(ProgrammeFactory)
    maker = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Projet {n}")
    summary = "Un projet de maker."
    description = "Une description détaillée."
    category = "Artisanat"
    commune = "Lille"
    maker_profile = "entrepreneur"
    maker_name = factory.Faker("name", locale="fr_FR")
    funding_goal = Decimal("5000.00")
    budget = Decimal("8000.00")


class SubmittedApplicationFactory(ApplicationFactory):
    state = ApplicationState.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    application = factory.SubFactory(ApplicationFactory)
    question = factory.SubFactory(QuestionFactory)
    value = "Réponse"
