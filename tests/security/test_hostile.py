"""Issue #9: every URL pattern and every form, as each role, with hostile values (NUL
byte, 40-digit numbers, 100 kB strings, RTL override, invalid dates, negative and
exponent numbers, HTML/JS): never a 5xx, and a refused request (4xx) changes nothing.

The world is the demo, loaded once for the module; every request runs in a savepoint
rolled back afterwards (tests/security/walk.py), so the walk never changes it and a
fingerprint of the database (row counts, max(updated_at)) is compared with the one taken
before the walk. Select it alone with ``-m hostile``.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.security import walk
from tests.security.walk import HOSTILE, JUNK, ROLES, passes_gate, send

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.hostile,
    # the page cache keys long hostile paths: fine for Redis and locmem (no memcached here)
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]

world = pytest.fixture(scope="module")(walk.world_fixture)


@pytest.fixture(scope="module")
def matrix(world, django_db_blocker):
    with django_db_blocker.unblock():
        return walk.compute_matrix(world)


class Walk:
    def __init__(self, world, matrix, role):
        self.world, self.matrix, self.role = world, matrix, role
        self.client = world.clients[role]
        self.failures: list[str] = []
        self.requests = 0

    def check(self, name: str, label: str, result, *, changed_matters: bool = True) -> None:
        self.requests += 1
        where = f"{self.role} {result.method} {result.path[:120]!r} [{name} {label}]"
        if result.status >= 500:
            self.failures.append(f"{where} → {result.status} {result.error}")
        elif changed_matters and result.changed:
            self.failures.append(f"{where} → {result.status} but the database changed")

    def post(self, name: str, path: str, label: str, data, *, raw: bool = False):
        result = send(
            self.client,
            "POST",
            path,
            data,
            check_change=True,
            baseline=self.world.baseline,
            raw=raw,
        )
        self.check(name, label, result)
        return result


HOSTILE_FILES = {
    "rtl_name": lambda: SimpleUploadedFile("\u202egnp.exe.png", b"MZ\x90\x00", "image/png"),
    "fake_image": lambda: SimpleUploadedFile(
        "a.png", b"GIF89a<script>alert(1)</script>" + b"\x00" * 64, "image/png"
    ),
    "fake_pdf": lambda: SimpleUploadedFile("a.pdf", b"%PDF-1.4\n<html>" + b"9" * 4000, "x/y"),
    "empty": lambda: SimpleUploadedFile("b.jpg", b"", "image/jpeg"),
}


def _form_data(fields: dict[str, list[str]], value: str) -> dict[str, list[str]]:
    return {key: [value] for key in fields}


def test_every_url_pattern_is_walked(matrix):
    """A new view is walked automatically; one whose arguments cannot be built fails here
    (add it to ARGUMENTS or BY_KWARG in tests/security/walk.py, or to SKIPPED with why)."""
    assert matrix.missing == []
    assert len(matrix.patterns) > 90
    names = {p.name for p in matrix.patterns}
    assert {"funding_manage:pot", "payments_manage:providers", "sandbox:checkout"} <= names


@pytest.mark.parametrize("role", ["anonymous", "maker", "manager"])
def test_head_answers_like_get(world, matrix, role):
    """Every page a role may open answers HEAD (link checkers, monitors, proxies) with the
    status of GET and no body, instead of a 405."""
    client = world.clients[role]
    wrong = {}
    for name in sorted(matrix.opens(role)):
        path = matrix.paths[(role, name)]
        result = walk.send(client, "HEAD", path)
        # Against a GET sent now: a download whose file lives under another test's
        # MEDIA_ROOT answers 404 to both.
        expected = walk.send(client, "GET", path).status
        if result.status != expected or result.content:
            wrong[name] = (result.status, len(result.content))
    assert wrong == {}


def test_the_fingerprint_sees_a_change(world):
    from tremplin.core.models import Partner

    partner = Partner.objects.filter(organiser__slug="mel").first()
    with walk.transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(name="changed")
        assert walk.fingerprint() == world.baseline  # no updated_at there: counts only
        Partner.objects.create(organiser=partner.organiser, name="New", slug="new-partner")
        assert walk.fingerprint() != world.baseline
        walk.transaction.set_rollback(True)
    assert walk.fingerprint() == world.baseline


@pytest.mark.parametrize("role", ROLES)
def test_no_5xx_and_no_change_with_hostile_values(world, matrix, role):
    started = time.monotonic()
    run = Walk(world, matrix, role)
    values = list(HOSTILE.items())
    for index, pattern in enumerate(matrix.patterns):
        name = pattern.name
        path = matrix.paths[(role, name)]
        legit = matrix.results[(role, name)]
        run.check(name, "legit", legit)
        gate = passes_gate(legit)
        # GET: the filter forms' fields and generic parameters
        if legit.status == 200:
            fields = sorted(matrix.get_fields.get((role, name), set()) | set(walk.GENERIC_QUERY))
            # every value as the role that opens it first, two in turn as the others
            first = role == matrix.owner(name)
            for offset in range(len(values) if first else 2):
                label, value = values[(index + ROLES.index(role) * 2 + offset) % len(values)]
                if label == "long":
                    value = value[:3000]
                result = send(run.client, "GET", path, dict.fromkeys(fields, value))
                run.check(name, f"query:{label}", result)
        # POST: every field of the forms that post here, each hostile value in turn
        # (all of them as the role that opens it first or sees fields it does not; two in
        # turn as the others)
        fields = matrix.post_fields.get((role, name), {})
        owner = matrix.owner(name)
        if gate or fields:
            own = role == owner or not set(fields) <= set(matrix.post_fields.get((owner, name), {}))
            for offset in range(len(values) if own else 2):
                label, value = values[(index + ROLES.index(role) * 2 + offset) % len(values)]
                run.post(name, path, f"form:{label}", _form_data(fields, value))
        run.post(name, path, "junk", JUNK, raw=True)
        # file inputs: a hostile name and a body that is not what it claims to be
        files = matrix.post_files.get((role, name), set())
        if files and role == owner:
            for label, upload in HOSTILE_FILES.items():
                data = {**_form_data(fields, "1"), **{key: upload() for key in files}}
                run.post(name, path, f"file:{label}", data)
        # the URL's own arguments, hostile: as the role that opens it, and anonymous
        if role == "anonymous" or role == matrix.owner(name):
            for argument, label, hostile in walk.hostile_paths(world, pattern, role):
                result = send(run.client, "GET", hostile)
                run.check(name, f"path:{argument}:{label}", result)
                if role != "anonymous" and label in ("nul", "digits40"):
                    run.post(name, hostile, f"path:{argument}:{label}", {"x": "1"})
    if role != "staff":  # the admin: only its entry, as everyone but staff
        result = send(run.client, "GET", walk.ADMIN_ENTRY)
        run.check("admin", "legit", result)
        assert result.status in (302, 404), result.status
        run.post("admin", walk.ADMIN_ENTRY, "junk", JUNK, raw=True)
    elapsed = time.monotonic() - started
    print(f"\n{connection.vendor} {role}: {run.requests} requests in {elapsed:.1f}s")
    assert run.failures == []


# The 500s the security review found (issue #9), one by one, on both databases: each
# answered 500 before its fix (on the database named in its id).
def _form(matrix, role: str, name: str, value: str) -> dict:
    return _form_data(matrix.post_fields.get((role, name), {}), value)


@pytest.mark.parametrize(
    ("role", "how"),
    [
        pytest.param(
            "anonymous",
            lambda m: ("GET", "/sandbox/pay/%00/", None),
            id="postgresql-sandbox-pay-nul",
        ),
        pytest.param(
            "manager",
            lambda m: ("GET", "/gestion/mel/campagnes/?programme=%00", None),
            id="postgresql-campaign-list-programme-nul",
        ),
        pytest.param(
            "manager",
            lambda m: (
                "POST",
                "/gestion/mel/programmes/nouveau/",
                _form(m, "manager", "manage:programme_create", "9" * 40),
            ),
            id="sqlite-programme-create-40-digits",
        ),
        pytest.param(
            "manager",
            lambda m: (
                "POST",
                "/gestion/mel/programmes/mel-makers-2020/modifier/",
                _form(m, "manager", "manage:programme_edit", "9" * 40),
            ),
            id="sqlite-programme-edit-40-digits",
        ),
        pytest.param(
            "manager",
            lambda m: (
                "POST",
                "/gestion/mel/programmes/mel-makers-2020/jury/",
                _form(m, "manager", "jury_manage:setup", "9" * 40),
            ),
            id="sqlite-jury-setup-40-digits",
        ),
    ],
)
def test_the_500s_the_review_found_are_gone(world, matrix, role, how):
    method, path, data = how(matrix)
    result = send(world.clients[role], method, path, data)
    assert result.status < 500, result.error
