"""The world the hostile walk and the reachability crawl share: the demo loaded once per
module, one signed-in client per role, every URL pattern of the URL configuration with
the arguments to open it, and requests that never change the world (each one runs in a
savepoint rolled back afterwards, its cookies restored).

A new URL pattern is walked automatically: its arguments come from ``ARGUMENTS`` (by
pattern name) or ``BY_KWARG`` (by argument name). A pattern neither builds arguments for
fails the walk, unless ``SKIPPED`` says why it is left out.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode, urlsplit

from django.db import connection, transaction
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

from tests.mfa import login_with_totp

ROLES = [
    "anonymous",
    "maker",
    "juror",
    "coach",
    "viewer",
    "manager",
    "other_manager",
    "staff",
    "partner",  # a member of a partner organisation of the MEL (the relay portal)
]

# Patterns left out of the walk, by name or by route prefix, and why.
SKIPPED_PREFIXES = {
    "admin/": "Django's admin internals (model pages); only staff with TOTP reach them, and "
    "/admin/ itself is walked as every role but staff (ADMIN_ENTRY)",
}
SKIPPED = {
    "account_confirm_email": "allauth's e-mail confirmation link (a key sent by e-mail); "
    "allauth's own tests cover its parsing",
    "account_reset_password_from_key": "allauth's password reset link (a key sent by "
    "e-mail); allauth's own tests cover its parsing",
}
# /admin/ is walked (its index only) as anonymous and as non-staff roles.
ADMIN_ENTRY = "/admin/"


class _Rollback(Exception):
    pass


@dataclass
class Pattern:
    name: str  # "namespace:name"
    route: str
    converters: dict[str, str]  # kwarg → converter class name

    @property
    def backoffice(self) -> bool:
        return self.route.startswith("gestion/")


def _converter_name(converter) -> str:
    return type(converter).__name__.removesuffix("Converter").lower()


def url_patterns() -> list[Pattern]:
    """Every named pattern of the URL configuration, with its full route."""
    found: dict[str, Pattern] = {}

    def walk(patterns, prefix: str, namespace: str | None, converters: dict) -> None:
        for item in patterns:
            route = prefix + str(item.pattern)
            own = getattr(item.pattern, "converters", {}) or {}
            merged = {**converters, **{k: _converter_name(v) for k, v in own.items()}}
            if isinstance(item, URLResolver):
                ns = namespace
                if item.namespace:
                    ns = f"{namespace}:{item.namespace}" if namespace else item.namespace
                walk(item.url_patterns, route, ns, merged)
            elif isinstance(item, URLPattern) and item.name:
                name = f"{namespace}:{item.name}" if namespace else item.name
                if "(?P<" in route:  # a regular expression route (allauth's)
                    merged.update(dict.fromkeys(re.findall(r"\(\?P<(\w+)>", route), "str"))
                found.setdefault(name, Pattern(name, route, merged))

    walk(get_resolver().url_patterns, "", None, {})
    return list(found.values())


def skip_reason(pattern: Pattern) -> str | None:
    for prefix, reason in SKIPPED_PREFIXES.items():
        if pattern.route.startswith(prefix):
            return reason
    return SKIPPED.get(pattern.name)


# -- the world ------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, object]
    clients: dict[str, Client]
    objects: dict[str, object]
    vendor: str
    baseline: tuple = ()
    gate: dict[tuple[str, str], int] = field(default_factory=dict)  # (role, name) → status


def _user(email: str):
    from tremplin.core.models import User

    return User.objects.get(email=email)


def build_world() -> World:
    """Load the demo and gather what the argument builders need. Runs inside the
    module's transaction (see ``world_fixture``)."""
    from tremplin.calls.models import Answer, Application, Programme, Question
    from tremplin.campaigns.models import Campaign, Comment
    from tremplin.core.models import OrganiserMembership, Partner
    from tremplin.demo import data
    from tremplin.demo.load import load_demo
    from tremplin.donors.models import Receipt
    from tremplin.funding.models import Contribution
    from tremplin.jury.models import JuryMember
    from tremplin.kit.models import KitItem, KitVersion, PosterFormat, RelayMark
    from tremplin.payments.enums import RefundState
    from tremplin.payments.models import Payment, Refund
    from tremplin.privacy.models import DataExport, ErasureNotice
    from tremplin.sandbox import api as sandbox_api

    load_demo()
    users = {
        "maker": _user("malik.benhamou@makers.example"),
        "juror": _user(data.DOUAISIS_PARTNERS[0].member.email),
        "coach": _user(data.COACH.email),
        "viewer": _user(data.MEL_VIEWER.email),
        "manager": _user(data.MEL_MANAGER.email),
        "other_manager": _user(data.DOUAISIS_MANAGER.email),
        "staff": _user(data.STAFF.email),
        "partner": _user(data.MEL_PARTNERS[0].member.email),
    }
    clients: dict[str, Client] = {"anonymous": Client(raise_request_exception=True)}
    for role, user in users.items():
        client = Client(raise_request_exception=True)
        if user.is_staff:
            login_with_totp(client, user)
        else:
            client.force_login(user)
        clients[role] = client

    campaign = Campaign.objects.get(slug="atelier-velo-mobile-des-quartiers")
    in_review = Campaign.objects.get(slug="teintures-vegetales-de-tourcoing")
    douaisis = Programme.objects.get(slug="douaisis-fabrique-2020")
    charge = sandbox_api.create_charge(
        amount=1000,
        currency="eur",
        return_url="http://testserver/",
        webhook_url="http://testserver/paiement/webhook/sandbox/",
    )
    payment = Payment.objects.order_by("pk").first()
    # A refund that failed at the provider: the statement's retry and "refunded outside the
    # platform" actions take one.
    refunded = Payment.objects.filter(contribution__campaign=campaign).order_by("pk").first()
    refund = Refund.objects.create(
        payment=refunded, amount=refunded.amount, state=RefundState.FAILED, attempts=10
    )
    member = JuryMember.objects.filter(user=users["juror"]).select_related("jury").first()
    offline = Contribution.objects.filter(campaign=campaign, source__in=["cash", "cheque"])
    objects = {
        "campaign": campaign,
        "in_review": in_review,
        "application": campaign.application,
        "answer": Answer.objects.filter(application=campaign.application).first(),
        "comment": Comment.objects.filter(campaign=campaign).first(),
        "contribution": Contribution.objects.filter(campaign=campaign).first(),
        "offline": offline.first() or Contribution.objects.filter(campaign=campaign).first(),
        "question": Question.objects.filter(programme__slug="mel-makers-2020").first(),
        "application_2019": Application.objects.filter(programme__slug="mel-makers-2019")
        .order_by("pk")
        .first(),
        "douaisis_application": Application.objects.filter(programme=douaisis).first(),
        "partner": Partner.objects.filter(organiser__slug="mel").first(),
        "viewer_membership": OrganiserMembership.objects.get(user=users["viewer"]),
        "charge": charge["id"],
        "payment": payment,
        "refund": refund,
        "jury_member": member,
        **_tracking_objects(users["manager"]),
        "kit_item": KitItem.objects.filter(version__state="released")
        .exclude(file="")
        .order_by("pk")
        .first(),
        "relay_mark": RelayMark.objects.filter(partner__slug=data.MEL_PARTNERS[0].slug)
        .order_by("pk")
        .first(),
        "receipt": Receipt.objects.select_related("contribution__campaign")
        .exclude(donor_email="")
        .order_by("pk")
        .first(),
        "erasure_notice": ErasureNotice.objects.filter(organiser__slug="mel").first(),
        "export": DataExport.objects.filter(user=users["maker"]).first(),
        **_coaching_objects(),
        "kit": KitVersion.objects.filter(campaign=campaign).order_by("-number").first(),
        "poster_format": PosterFormat.objects.filter(organiser__slug="mel").first(),
    }
    return World(users, clients, objects, connection.vendor)


def _tracking_objects(manager) -> dict:
    """The demo's past edition (2018) and a final report of MEL Makers 2019, generated."""
    from tremplin.calls.models import Programme
    from tremplin.tracking.models import FinalReport, PastEdition
    from tremplin.tracking.reports import generate_report

    programme = Programme.objects.get(slug="mel-makers-2019")
    report = FinalReport.objects.create(programme=programme, requested_by=manager)
    generate_report(report.pk)
    edition = PastEdition.objects.filter(organiser__slug="mel").first()
    return {"past_edition": edition, "report": report}


def _coaching_objects() -> dict:
    """The coaching demo's workshops, a registration's signed link, a thread's attachment
    (none in the demo: one is added) and a booked meeting."""
    from django.core.files.base import ContentFile

    from tremplin.coaching.models import Attachment, MeetingSlot, Message, Workshop
    from tremplin.coaching.workshops import registration_token

    workshops = Workshop.objects.filter(programme__slug="mel-makers-2020").order_by("starts_at")
    past = workshops.first()
    upcoming = workshops.filter(audience="public").last()
    message = Message.objects.order_by("pk").first()
    attachment = Attachment(message=message, name="plan.pdf", content_type="application/pdf")
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return {
        "workshop": upcoming,
        "past_workshop": past,
        "material": past.materials.exclude(file="").first(),
        "registration_token": registration_token(past.registrations.filter(attended=True).first()),
        "thread_campaign": message.campaign,
        "attachment": attachment,
        "meeting": MeetingSlot.objects.filter(booked_at__isnull=False).first(),
    }


def world_fixture(django_db_setup, django_db_blocker):
    """A module-scoped world: the demo in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world.baseline = fingerprint()
        yield world
        transaction.set_rollback(True)


# -- the arguments of each pattern ------------------------------------------------------

Builder = Callable[[World, str], dict]


def _o(world: World, key: str):
    return world.objects[key]


def _payment_return(world: World, role: str) -> dict:
    from tremplin.payments.services import return_token

    payment = _o(world, "payment")
    return {"payment_pk": payment.pk, "token": return_token(payment.pk)}


def _export_download(world: World, role: str) -> dict:
    from tremplin.privacy.exports import download_token

    return {"token": download_token(_o(world, "export"))}


def _export_request(world: World, role: str) -> dict:
    from django.core import signing

    from tremplin.privacy.exports import REQUEST_SALT

    return {"token": signing.dumps("contributeur@example.org", salt=REQUEST_SALT)}


def _jury_accept(world: World, role: str) -> dict:
    from tremplin.jury.tokens import make_invitation_token

    return {"token": make_invitation_token(_o(world, "jury_member"))}


def _tracking_alert(world: World, role: str) -> int:
    """The demo's open, unacknowledged alert (the winter luminaires' last hours)."""
    from tremplin.tracking.models import Alert

    alert = Alert.objects.filter(acknowledged_at__isnull=True, resolved_at__isnull=True)
    return alert.order_by("pk").values_list("pk", flat=True).first() or 1


WINTER = "tremplin-makers-lille-hiver"


def _printer_token() -> str:
    from tremplin.calls.models import Programme
    from tremplin.kit.downloads import printer_token

    return printer_token(Programme.objects.get(slug="tremplin-makers-lille-hiver"), "a4")


MAKER_CAMPAIGN = {"slug": lambda w, r: _o(w, "campaign").slug}
ARGUMENTS: dict[str, Builder] = {
    # public and maker pages
    "calls:programme": lambda w, r: {"slug": "mel-makers-2020"},
    "calls:apply": lambda w, r: {"slug": "mel-makers-2020"},
    "calls:application": lambda w, r: {"pk": _o(w, "application").pk},
    "calls:withdraw": lambda w, r: {"pk": _o(w, "application").pk},
    "calls:application_file": lambda w, r: {
        "pk": _o(w, "application").pk,
        "answer_pk": _o(w, "answer").pk if _o(w, "answer") else 1,
    },
    "calls:application_image": lambda w, r: {"pk": _o(w, "application").pk, "image_pk": 1},
    "jury_public:laureates": lambda w, r: {"slug": "mel-makers-2019"},
    "campaigns:campaign": lambda w, r: {"slug": _o(w, "campaign").slug},
    "campaigns:updates": lambda w, r: {"slug": _o(w, "campaign").slug},
    "campaigns:comment": lambda w, r: {"slug": _o(w, "campaign").slug},
    "campaigns:report_comment": lambda w, r: {
        "slug": _o(w, "campaign").slug,
        "pk": _o(w, "comment").pk,
    },
    "campaigns:backstage": lambda w, r: {"slug": _o(w, "campaign").slug},
    "campaigns:edit": lambda w, r: {"slug": _o(w, "campaign").slug},
    "campaigns:coach_review": lambda w, r: {"slug": _o(w, "in_review").slug},
    "funding:contribute": lambda w, r: {"slug": _o(w, "campaign").slug},
    "funding:thanks": lambda w, r: {"key": _o(w, "contribution").idempotency_key},
    "funding:offline_maker": lambda w, r: {"slug": _o(w, "campaign").slug},
    "jury:accept": _jury_accept,
    "jury:application": lambda w, r: {
        "programme_slug": "douaisis-fabrique-2020",
        "pk": _o(w, "douaisis_application").pk,
    },
    "jury:vote": lambda w, r: {
        "programme_slug": "douaisis-fabrique-2020",
        "pk": _o(w, "douaisis_application").pk,
    },
    "jury:recuse": lambda w, r: {
        "programme_slug": "douaisis-fabrique-2020",
        "pk": _o(w, "douaisis_application").pk,
    },
    "payments:return": _payment_return,
    "payments:webhook": lambda w, r: {"provider": "sandbox"},
    "sandbox:checkout": lambda w, r: {"charge_id": _o(w, "charge")},
    "core:public_media": lambda w, r: {"path": "logos/missing.png"},
    # back-office: the MEL's (the other organiser's manager gets 404 there)
    "manage:programme_transition": lambda w, r: {"slug": "mel-makers-2020", "action": "close"},
    "manage:question_edit": lambda w, r: {"slug": "mel-makers-2020", "pk": _o(w, "question").pk},
    "manage:question_delete": lambda w, r: {
        "slug": "mel-makers-2020",
        "pk": _o(w, "question").pk,
    },
    "manage:question_move": lambda w, r: {
        "slug": "mel-makers-2020",
        "pk": _o(w, "question").pk,
        "direction": "down",
    },
    "manage:applications": lambda w, r: {"slug": "mel-makers-2019"},
    "manage:applications_export": lambda w, r: {"slug": "mel-makers-2019", "fmt": "csv"},
    "manage:application": lambda w, r: {
        "slug": "mel-makers-2019",
        "pk": _o(w, "application_2019").pk,
    },
    "manage:application_screen": lambda w, r: {
        "slug": "mel-makers-2019",
        "pk": _o(w, "application_2019").pk,
    },
    "manage:partner_edit": lambda w, r: {"pk": _o(w, "partner").pk},
    "manage:team_role": lambda w, r: {"pk": _o(w, "viewer_membership").pk},
    "manage:team_remove": lambda w, r: {"pk": _o(w, "viewer_membership").pk},
    "jury_manage:transition": lambda w, r: {"slug": "mel-makers-2019", "action": "close"},
    "jury_manage:export": lambda w, r: {
        "slug": "mel-makers-2019",
        "what": "tally",
        "fmt": "csv",
    },
    "campaigns_manage:detail": lambda w, r: {"slug": _o(w, "campaign").slug},
    "funding_manage:offline_refund": lambda w, r: {
        "slug": _o(w, "campaign").slug,
        "pk": _o(w, "offline").pk,
    },
    "payments_manage:provider": lambda w, r: {"provider": "stripe"},
    # tracking: the winter edition's cockpit; its live campaign (the maker's, coached by
    # the demo coach)
    "tracking_manage:cockpit": lambda w, r: {"slug": "tremplin-makers-lille-hiver"},
    "tracking_manage:attribution": lambda w, r: {"slug": "tremplin-makers-lille-hiver"},
    "tracking_manage:campaign": lambda w, r: {
        "slug": "tremplin-makers-lille-hiver",
        "campaign_slug": _o(w, "campaign").slug,
    },
    "tracking:coach_campaign": lambda w, r: {"slug": _o(w, "campaign").slug},
    "tracking:maker_campaign": lambda w, r: {"slug": _o(w, "campaign").slug},
    "funding_manage:refund_retry": lambda w, r: {"pk": _o(w, "refund").pk},
    "funding_manage:refund_outside": lambda w, r: {"pk": _o(w, "refund").pk},
    "tracking:results": lambda w, r: {"slug": "mel-makers-2019"},
    "tracking:results_schema": lambda w, r: {"slug": "mel-makers-2019"},
    "tracking_manage:past_edition": lambda w, r: {"pk": _o(w, "past_edition").pk},
    "tracking_manage:past_edition_delete": lambda w, r: {"pk": _o(w, "past_edition").pk},
    "tracking_manage:report": lambda w, r: {"slug": "mel-makers-2019"},
    "tracking_manage:report_status": lambda w, r: {"slug": "mel-makers-2019"},
    "tracking_manage:report_download": lambda w, r: {
        "slug": "mel-makers-2019",
        "pk": _o(w, "report").pk,
        "fmt": "pdf",
    },
    # the kit: the video, the widget, the relay portal (the Université de Lille's)
    "kit:video_page": lambda w, r: {"slug": _o(w, "campaign").slug},
    "kit:video": lambda w, r: {"slug": _o(w, "campaign").slug},
    # (a page without captions: the demo's captions file is written under the world's
    # MEDIA_ROOT, which is not the one of the tests that walk it)
    "kit:captions": lambda w, r: {"slug": _o(w, "in_review").slug},
    "kit:widget": lambda w, r: {"slug": _o(w, "campaign").slug},
    "kit:badge": lambda w, r: {"slug": _o(w, "campaign").slug},
    "kit:relay_edit": lambda w, r: {"pk": _o(w, "relay_mark").pk},
    "kit:relay_delete": lambda w, r: {"pk": _o(w, "relay_mark").pk},
    "kit:relay_kit_item": lambda w, r: {"pk": _o(w, "kit_item").pk if _o(w, "kit_item") else 1},
    # tracking: the winter edition's alerts (live campaigns)
    "tracking_manage:alerts": lambda w, r: {"slug": WINTER},
    "tracking_manage:alert_settings": lambda w, r: {"slug": WINTER},
    "tracking_manage:alert_acknowledge": lambda w, r: {
        "slug": WINTER,
        "pk": _tracking_alert(w, r),
    },
    "tracking:coach_acknowledge": lambda w, r: {"pk": _tracking_alert(w, r)},
    # the contributors' space (a demo contributor's link) and the tax receipts
    "donors:open": lambda w, r: {"token": _space_token(w)},
    "donors:choices": lambda w, r: {"pk": _o(w, "receipt").contribution_id},
    "donors:receipt": lambda w, r: {"pk": _o(w, "receipt").pk},
    "donors_manage:receipts": lambda w, r: {"slug": _o(w, "receipt").contribution.campaign.slug},
    "donors_manage:issue": lambda w, r: {"slug": _o(w, "receipt").contribution.campaign.slug},
    "donors_manage:receipt": lambda w, r: {
        "slug": _o(w, "receipt").contribution.campaign.slug,
        "pk": _o(w, "receipt").pk,
    },
    "donors_manage:summary_export": lambda w, r: {"year": _o(w, "receipt").year},
    # personal data: the maker's ready export, a contributor's signed address, the MEL's
    "privacy:download": _export_download,
    "privacy:request_by_email": _export_request,
    "privacy_manage:acknowledge": lambda w, r: {"pk": _o(w, "erasure_notice").pk},
    "privacy_manage:retention": lambda w, r: {"slug": "mel-makers-2019"},
    # coaching: the MEL 2020 workshops, the winter edition's campaigns
    "coaching:workshops": lambda w, r: {"slug": "mel-makers-2020"},
    "coaching:workshops_feed": lambda w, r: {"slug": "mel-makers-2020"},
    "coaching:workshop": lambda w, r: {"pk": _o(w, "workshop").pk},
    "coaching:workshop_ics": lambda w, r: {"pk": _o(w, "workshop").pk},
    "coaching:workshop_new": lambda w, r: {"programme_slug": "mel-makers-2020"},
    "coaching:workshop_admin": lambda w, r: {"pk": _o(w, "past_workshop").pk},
    "coaching:material_admin": lambda w, r: {
        "pk": _o(w, "past_workshop").pk,
        "material_pk": _o(w, "material").pk,
    },
    "coaching:registration": lambda w, r: {"token": _o(w, "registration_token")},
    "coaching:material": lambda w, r: {
        "token": _o(w, "registration_token"),
        "material_pk": _o(w, "material").pk,
    },
    "coaching:campaign": lambda w, r: {"slug": _o(w, "campaign").slug},
    "coaching:tips": lambda w, r: {"slug": _o(w, "campaign").slug},
    "coaching:attachment": lambda w, r: {
        "slug": _o(w, "thread_campaign").slug,
        "pk": _o(w, "attachment").pk,
    },
    "coaching:meeting_ics": lambda w, r: {
        "slug": _o(w, "thread_campaign").slug,
        "pk": _o(w, "meeting").pk,
    },
    # the communication kit (kposters): the live campaign's latest version and its items
    "kit:short_link": lambda w, r: {"slug": _o(w, "campaign").slug, "channel": "affiche"},
    "kit:proof": lambda w, r: {"slug": _o(w, "campaign").slug},
    "kit:progress": lambda w, r: {"slug": _o(w, "campaign").slug, "number": _o(w, "kit").number},
    "kit:item_file": lambda w, r: {
        "slug": _o(w, "campaign").slug,
        "number": _o(w, "kit").number,
        "pk": _o(w, "kit").items.get(kind="poster", variant="a4").pk,
    },
    "kit:share_image": lambda w, r: {"slug": _o(w, "campaign").slug, "number": _o(w, "kit").number},
    "kit_manage:campaign_kit": lambda w, r: {"slug": _o(w, "campaign").slug},
    "kit_manage:edit_text": lambda w, r: {
        "slug": _o(w, "campaign").slug,
        "number": _o(w, "kit").number,
        "pk": _o(w, "kit").items.filter(kind="text").first().pk,
    },
    "kit_manage:print_zip": lambda w, r: {
        "programme_slug": "tremplin-makers-lille-hiver",
        "code": "a4",
    },
    "kit_manage:format_edit": lambda w, r: {"pk": _o(w, "poster_format").pk},
    "kit:printer_zip": lambda w, r: {"token": _printer_token()},
}


def _space_token(world: World) -> str:
    from tremplin.core.contributor_links import space_token

    return space_token(_o(world, "receipt").donor_email)


# By argument name, for the patterns ARGUMENTS does not name.
BY_KWARG: dict[str, Callable[[World, str, Pattern], object]] = {
    "organiser_slug": lambda w, r, p: "mel",
    # jury_manage: the MEL's 2019 jury (closed, published); manage: the 2020 call (open)
    "slug": lambda w, r, p: (
        "mel-makers-2020"  # no jury yet: the set-up form
        if p.name in ("jury_manage:setup", "jury_manage:members")
        else "mel-makers-2019"
        if p.name.startswith("jury_manage:")
        else _o(w, "campaign").slug
        if p.name.startswith(("funding_manage:", "campaigns_manage:"))
        else "mel-makers-2020"
        if p.name.startswith("manage:")
        else None
    ),
    "partner_slug": lambda w, r, p: "universite-de-lille",
    "campaign_slug": lambda w, r, p: _o(w, "campaign").slug,
    "programme_slug": lambda w, r, p: (
        "douaisis-fabrique-2020" if p.name.startswith("jury:") else "tremplin-makers-lille-hiver"
    ),
}


def arguments(world: World, pattern: Pattern, role: str) -> dict:
    """The pattern's arguments for ``role``; raises LookupError naming what is missing."""
    kwargs = dict(ARGUMENTS[pattern.name](world, role)) if pattern.name in ARGUMENTS else {}
    for name in pattern.converters:
        if name in kwargs:
            continue
        builder = BY_KWARG.get(name)
        value = builder(world, role, pattern) if builder else None
        if value is None:
            raise LookupError(f"{pattern.name}: no argument builder for <{name}>")
        kwargs[name] = value
    return kwargs


def legit_path(world: World, pattern: Pattern, role: str) -> str:
    return reverse(pattern.name, kwargs=arguments(world, pattern, role))


MARKERS = {"int": "987650123", "path": "zzpathzz"}


def hostile_paths(world: World, pattern: Pattern, role: str) -> list[tuple[str, str, str]]:
    """(argument, label, path) with one argument replaced by each hostile value."""
    kwargs = arguments(world, pattern, role)
    out = []
    for name, converter in pattern.converters.items():
        marker = MARKERS.get(converter, "zzmarkerzz")
        try:
            path = reverse(pattern.name, kwargs={**kwargs, name: marker})
        except NoReverseMatch:  # e.g. a fixed choice in a regular expression
            continue
        for label, value in PATH_VALUES.items():
            out.append((name, label, path.replace(marker, quote(value, safe=""), 1)))
    return out


# -- hostile values -----------------------------------------------------------------------

HOSTILE: dict[str, str] = {
    "nul": "a\x00b",
    "digits40": "9" * 40,
    "long": "x" * 100_000,
    "rtl": "\u202egnp.exe\u202c",
    "script": "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>",
    "bad_date": "2023-02-30",
    "negative": "-1",
    "exponent": "1e308",
    "nan": "NaN",
    "infinity": "-Infinity",
}
PATH_VALUES: dict[str, str] = {
    "nul": "\x00",
    "digits40": "9" * 40,
    "rtl": "\u202e1",
    "script": "<script>",
    "long": "y" * 5000,
}
# Query parameters the views read (filters, pages, choices) plus a few generic ones.
GENERIC_QUERY = [
    "page",
    "programme",
    "state",
    "q",
    "contrepartie",
    "canal",
    "next",
    "email",
    "export",
    "sort",
    "comments",
    "updates",
]
JUNK = b"\xff\xfe%00=%ff&\x00=\x00&csrfmiddlewaretoken=%ZZ&a=" + b"\xc3\x28" * 50


# -- requests that change nothing -------------------------------------------------------


_FINGERPRINT_SQL: dict[str, str] = {}


def fingerprint() -> tuple:
    """Row counts of every table (but the sessions') and max(updated_at) where present:
    one query."""
    sql = _FINGERPRINT_SQL.get(connection.vendor)
    if sql is None:
        tables = sorted(t for t in connection.introspection.table_names() if t != "django_session")
        parts = []
        with connection.cursor() as cursor:
            for table in tables:
                quoted = connection.ops.quote_name(table)
                parts.append(f"(SELECT COUNT(*) FROM {quoted})")  # noqa: S608
                columns = {
                    c.name for c in connection.introspection.get_table_description(cursor, table)
                }
                if "updated_at" in columns:
                    parts.append(f"(SELECT MAX(updated_at) FROM {quoted})")  # noqa: S608
        sql = _FINGERPRINT_SQL[connection.vendor] = "SELECT " + ", ".join(parts)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


@dataclass
class Result:
    method: str
    path: str
    status: int
    location: str = ""
    content: bytes = b""
    content_type: str = ""
    error: str = ""
    changed: bool = False


def send(
    client: Client,
    method: str,
    path: str,
    data=None,
    *,
    check_change: bool = False,
    baseline: tuple = (),
    raw: bool = False,
) -> Result:
    """One request in a savepoint always rolled back; the client's cookies restored."""
    saved = {key: morsel.value for key, morsel in client.cookies.items()}
    result = Result(method, path, 0)
    try:
        with transaction.atomic():
            try:
                if method == "GET":
                    response = client.get(path, data or {})
                elif method == "HEAD":
                    response = client.head(path)
                elif raw:
                    response = client.post(
                        path, data, content_type="application/x-www-form-urlencoded"
                    )
                else:
                    response = client.post(path, data or {})
                result.status = response.status_code
                result.location = response.headers.get("Location", "")
                result.content_type = response.headers.get("Content-Type", "")
                if not getattr(response, "streaming", False):
                    result.content = response.content
            except Exception as error:  # noqa: BLE001  (a 500: recorded, the walk goes on)
                result.status = 500
                result.error = f"{type(error).__name__}: {str(error)[:200]}"
            if check_change and 400 <= result.status < 500:
                result.changed = fingerprint() != baseline
            raise _Rollback
    except _Rollback:
        pass
    client.cookies = SimpleCookie()
    for key, value in saved.items():
        client.cookies[key] = value
    return result


LOGIN_PATH = "/comptes/login/"


def passes_gate(result: Result) -> bool:
    """The role got past the view's permission check."""
    if result.status in (200, 400, 405):
        return True
    return result.status == 302 and not result.location.startswith(LOGIN_PATH)


# -- HTML forms and links --------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]]  # name → the choices offered (empty for free text)
    files: set[str] = field(default_factory=set)  # the file inputs


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower(), {})
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name:
                return
            if tag == "input" and a.get("type") == "file":
                self._form.files.add(name)
            choices = self._form.fields.setdefault(name, [])
            if tag == "input" and a.get("type") in ("radio", "checkbox") and a.get("value"):
                choices.append(a["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._form is not None and self._select and a.get("value"):
            self._form.fields[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(content: bytes) -> _Parser:
    parser = _Parser()
    with contextlib.suppress(Exception):  # a page that is not HTML
        parser.feed(content.decode("utf-8", "replace"))
    return parser


def same_site_path(href: str, base: str) -> str | None:
    """The path (and query) of a same-site link, or None."""
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path
    if not path:
        path = urlsplit(base).path
    elif not path.startswith("/"):
        path = urlsplit(base).path.rsplit("/", 1)[0] + "/" + path
    return path + (f"?{parts.query}" if parts.query else "")


def pattern_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def query(fields: list[str], value: str) -> str:
    return urlencode(dict.fromkeys(fields, value))


__all__ = [
    "ADMIN_ENTRY",
    "HOSTILE",
    "JUNK",
    "ROLES",
    "World",
    "arguments",
    "hostile_paths",
    "legit_path",
    "parse",
    "pattern_name",
    "passes_gate",
    "send",
    "skip_reason",
    "url_patterns",
    "world_fixture",
]


# -- the matrix: every pattern as every role -----------------------------------------------

OWNER_PRIORITY = [
    "manager",
    "staff",
    "maker",
    "juror",
    "coach",
    "viewer",
    "other_manager",
    "partner",
]


@dataclass
class Matrix:
    patterns: list[Pattern]
    missing: list[str]  # patterns without arguments
    skipped: dict[str, str]
    results: dict[tuple[str, str], Result] = field(default_factory=dict)  # (role, name)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    # (role, target pattern) → {field name: choices} of the forms that post there
    post_fields: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)
    get_fields: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    post_files: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    requests: int = 0

    def owner(self, name: str) -> str | None:
        for role in OWNER_PRIORITY:
            result = self.results.get((role, name))
            if result is not None and passes_gate(result):
                return role
        return None

    def opens(self, role: str) -> set[str]:
        """The GET-able patterns ``role`` may open (200 on the legit arguments)."""
        return {
            name for (r, name), result in self.results.items() if r == role and result.status == 200
        }


def compute_matrix(world: World) -> Matrix:
    patterns, missing, skipped = [], [], {}
    for pattern in url_patterns():
        reason = skip_reason(pattern)
        if reason:
            skipped[pattern.name] = reason
            continue
        try:
            for role in ROLES:
                arguments(world, pattern, role)
        except (LookupError, KeyError, AttributeError) as error:
            missing.append(str(error))
            continue
        patterns.append(pattern)
    matrix = Matrix(patterns, missing, skipped)
    for role in ROLES:
        client = world.clients[role]
        for pattern in patterns:
            path = legit_path(world, pattern, role)
            result = send(client, "GET", path)
            matrix.requests += 1
            matrix.results[(role, pattern.name)] = result
            matrix.paths[(role, pattern.name)] = path
            if result.status != 200 or "html" not in result.content_type:
                continue
            for form in parse(result.content).forms:
                target = same_site_path(form.action, path) if form.action else path
                name = pattern_name(target) if target else None
                if name is None:
                    continue
                if form.method == "post":
                    fields = matrix.post_fields.setdefault((role, name), {})
                    matrix.post_files.setdefault((role, name), set()).update(form.files)
                    for key, choices in form.fields.items():
                        fields.setdefault(key, []).extend(choices)
                else:
                    matrix.get_fields.setdefault((role, name), set()).update(form.fields)
    return matrix
