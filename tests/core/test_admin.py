"""The Django admin, for platform staff (with TOTP): every registered model's pages
render; the audit log is read-only; states are not editable there."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories
from tests.mfa import login_with_totp
from tremplin.calls.models import Application, Programme
from tremplin.core.audit import action_label, log_action
from tremplin.core.models import AuditLog, Organiser, Partner, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    return login_with_totp(client, staff)


@pytest.mark.parametrize("model", [User, Organiser, Partner, AuditLog, Programme, Application])
def test_models_are_registered(model):
    assert admin.site.is_registered(model)


def test_changelists_and_change_pages_render(admin_client):
    application = factories.SubmittedApplicationFactory()
    factories.AnswerFactory(application=application)
    programme = application.programme
    factories.QuestionFactory(programme=programme)
    membership = factories.MembershipFactory(organiser=programme.organiser)
    partner = factories.PartnerMembershipFactory(partner__organiser=programme.organiser).partner
    log_action("tremplin.application.submitted", obj=application, user=application.maker)
    objects = [
        application,
        programme,
        programme.organiser,
        partner,
        membership.user,
        AuditLog.objects.first(),
    ]
    for obj in objects:
        opts = obj._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200, change
    assert admin_client.get(reverse("admin:core_user_add")).status_code == 200
    assert admin_client.get(reverse("admin:calls_programme_add")).status_code == 200
    search = admin_client.get(reverse("admin:core_user_changelist"), {"q": membership.user.email})
    assert membership.user.email in search.content.decode()


def test_staff_creates_a_user_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:core_user_add"),
        {
            "email": "Nouveau@Example.org",
            "usable_password": "true",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "organiser_memberships-TOTAL_FORMS": "0",
            "organiser_memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.filter(email__iexact="nouveau@example.org").exists()


def test_audit_log_is_read_only(admin_client):
    entry = log_action("tremplin.programme.created", obj=factories.ProgrammeFactory())
    assert admin_client.get(reverse("admin:core_auditlog_add")).status_code == 403
    delete = reverse("admin:core_auditlog_delete", args=[entry.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:core_auditlog_change", args=[entry.pk])
    admin_client.post(change, {"action": "tampered"})
    entry.refresh_from_db()
    assert entry.action == "tremplin.programme.created"
    html = admin_client.get(reverse("admin:core_auditlog_changelist")).content.decode()
    assert str(action_label("tremplin.programme.created")) in html


def test_applications_cannot_be_added_or_changed_in_the_admin(admin_client):
    application = factories.SubmittedApplicationFactory(title="Original")
    assert admin_client.get(reverse("admin:calls_application_add")).status_code == 403
    change = reverse("admin:calls_application_change", args=[application.pk])
    admin_client.post(change, {"title": "Changed", "state": "withdrawn"})
    application.refresh_from_db()
    assert (application.title, application.state) == ("Original", "submitted")


def test_programme_state_is_read_only_in_the_admin(admin_client):
    programme = factories.ProgrammeFactory()
    page = admin_client.get(reverse("admin:calls_programme_change", args=[programme.pk]))
    assert 'name="state"' not in page.content.decode()
