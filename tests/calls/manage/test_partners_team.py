"""The organiser's partner organisations and team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.calls.helpers import image_bytes, upload
from tremplin.core.models import AuditLog, OrganiserMembership, Partner

pytestmark = pytest.mark.django_db

PARTNERS = reverse("manage:partners", args=["mel"])
PARTNER_CREATE = reverse("manage:partner_create", args=["mel"])
TEAM = reverse("manage:team", args=["mel"])
TEAM_ADD = reverse("manage:team_add", args=["mel"])


def _role_url(membership) -> str:
    return reverse("manage:team_role", args=["mel", membership.pk])


def _remove_url(membership) -> str:
    return reverse("manage:team_remove", args=["mel", membership.pk])


# --- partners -------------------------------------------------------------------------------


def test_partner_list_is_the_organisers_own(world, en):
    response = en(world.viewer).get(PARTNERS)
    assert response.status_code == 200
    assert [p.name for p in response.context["partners"]] == ["Lille Makers"]
    assert "Autre partenaire" not in response.content.decode()


def test_add_a_partner_with_a_logo(world, en):
    data = {
        "name": "  Université   de Lille ",
        "website": "univ-lille.fr",
        "description": "Université publique.",
        "logo": upload("logo.webp", image_bytes("WEBP"), "image/webp"),
    }
    response = en(world.manager).post(PARTNER_CREATE, data)
    assert response.status_code == 302
    partner = Partner.objects.get(organiser=world.organiser, name="Université de Lille")
    assert partner.slug == "universite-de-lille"
    assert partner.website == "https://univ-lille.fr"
    assert partner.logo.name.startswith("public/partners/")
    assert partner.logo.name.endswith(".webp")
    entry = AuditLog.objects.get(action="tremplin.partner.created")
    assert entry.organiser_id == world.organiser.pk
    # the logo shows in the list, served from the public media
    assert "/media/public/partners/" in en(world.viewer).get(PARTNERS).content.decode()


def test_partner_slugs_are_unique_per_organiser(world, en):
    client = en(world.manager)
    client.post(PARTNER_CREATE, {"name": "Lille Makers"})
    client.post(PARTNER_CREATE, {"name": "Lille Makers"})
    slugs = set(Partner.objects.filter(organiser=world.organiser).values_list("slug", flat=True))
    assert {"lille-makers", "lille-makers-2"} <= slugs


def test_edit_a_partner_keeps_its_slug(world, en):
    partner = world.partner
    slug = partner.slug
    url = reverse("manage:partner_edit", args=["mel", partner.pk])
    response = en(world.manager).post(url, {"name": "Lille Makers Association"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.slug) == ("Lille Makers Association", slug)
    assert AuditLog.objects.get(action="tremplin.partner.changed").data["changed"] == ["name"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"name": "Ok", "website": "javascript:alert(1)"}, "website"),
        ({"name": "Ok", "website": "pas une adresse"}, "website"),
        ({"name": "Ok", "description": "d" * 2001}, "description"),
        ({"name": "Ok", "logo": upload("logo.png", b"<svg onload=alert(1)>", "image/png")}, "logo"),
        ({"name": "Ok", "logo": upload("logo.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024))}, "logo"),
    ],
)
def test_bad_partner_is_a_field_error(world, en, data, field):
    count = Partner.objects.count()
    response = en(world.manager).post(PARTNER_CREATE, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Partner.objects.count() == count


def test_bad_partner_edit_changes_nothing(world, en):
    partner = world.partner
    url = reverse("manage:partner_edit", args=["mel", partner.pk])
    payload = "<b>gras</b>" + "x" * 200
    response = en(world.manager).post(url, {"name": payload})
    assert response.status_code == 400
    assert "<b>gras</b>" not in response.content.decode()
    partner.refresh_from_db()
    assert partner.name == "Lille Makers"


def test_partner_of_another_organiser_is_404(world, en):
    url = reverse("manage:partner_edit", args=["mel", world.other_partner.pk])
    assert en(world.manager).get(url).status_code == 404


# --- team -----------------------------------------------------------------------------------


def test_team_lists_members_with_roles(world, en):
    response = en(world.viewer).get(TEAM)
    assert response.status_code == 200
    emails = {m.user.email for m in response.context["members"]}
    assert emails == {world.admin.email, world.manager.email, world.viewer.email}
    assert world.other_admin.email not in response.content.decode()
    assert TEAM_ADD not in response.content.decode()  # only administrators get the form


def test_admin_adds_an_existing_user(world, en):
    newcomer = factories.UserFactory(email="nouvelle@mel.example")
    response = en(world.admin).post(TEAM_ADD, {"email": "Nouvelle@MEL.example", "role": "viewer"})
    assert response.status_code == 302
    membership = OrganiserMembership.objects.get(organiser=world.organiser, user=newcomer)
    assert membership.role == "viewer"
    entry = AuditLog.objects.get(action="tremplin.team.member_added")
    assert entry.data["member"] == "nouvelle@mel.example"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "email"),
        ({"email": "personne@nulle.part", "role": "manager"}, "email"),
        ({"email": "pas-une-adresse", "role": "manager"}, "email"),
        ({"email": "x" * 250 + "@a.fr", "role": "manager"}, "email"),
        ({"email": "<script>@x.fr", "role": "manager"}, "email"),
        ({"email": "OWNER", "role": "owner"}, "role"),
    ],
)
def test_bad_member_is_a_field_error(world, en, data, field):
    count = OrganiserMembership.objects.count()
    response = en(world.admin).post(TEAM_ADD, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert OrganiserMembership.objects.count() == count
    assert "<script>@x.fr" not in response.content.decode()


def test_existing_member_cannot_be_added_twice(world, en):
    response = en(world.admin).post(TEAM_ADD, {"email": world.viewer.email, "role": "manager"})
    assert response.status_code == 400
    assert "already a member" in response.context["form"].errors["email"][0]
    assert world.viewer.organiser_memberships.get().role == "viewer"


def test_member_of_another_organiser_can_join_ours(world, en):
    response = en(world.admin).post(TEAM_ADD, {"email": world.other_admin.email, "role": "viewer"})
    assert response.status_code == 302
    assert world.other_admin.organiser_memberships.count() == 2


def test_admin_changes_a_role(world, en):
    membership = world.viewer_membership
    response = en(world.admin).post(_role_url(membership), {"role": "manager"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "manager"
    entry = AuditLog.objects.get(action="tremplin.team.role_changed")
    assert (entry.data["previous"], entry.data["role"]) == ("viewer", "manager")


def test_bad_role_is_refused(world, en):
    membership = world.viewer_membership
    assert en(world.admin).post(_role_url(membership), {"role": "owner"}).status_code == 400
    membership.refresh_from_db()
    assert membership.role == "viewer"


def test_admin_cannot_change_their_own_role_or_remove_themselves(world, en):
    own = world.admin.organiser_memberships.get()
    client = en(world.admin)
    response = client.post(_role_url(own), {"role": "viewer"})
    assert response.status_code == 400
    assert "your own role" in response.content.decode()
    response = client.post(_remove_url(own))
    assert response.status_code == 400
    assert "remove yourself" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "admin"


def test_admin_removes_a_member(world, en):
    membership = world.viewer_membership
    response = en(world.admin).post(_remove_url(membership))
    assert response.status_code == 302
    assert not OrganiserMembership.objects.filter(pk=membership.pk).exists()
    assert AuditLog.objects.get(action="tremplin.team.member_removed").data["member"] == (
        world.viewer.email
    )


def test_member_of_another_organiser_cannot_be_touched(world, en):
    theirs = world.other_admin.organiser_memberships.get()
    assert en(world.admin).post(_role_url(theirs), {"role": "viewer"}).status_code == 404
    assert en(world.admin).post(_remove_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == "admin"
