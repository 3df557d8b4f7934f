"""The demo shows personal data rights: a laureate's erasure the MEL sees, an export ready
in the winter maker's space, and a retention dry run with something to say."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tremplin.core.models import User
from tremplin.demo import data
from tremplin.demo.load import load_demo
from tremplin.privacy import retention
from tremplin.privacy.models import DataExport, ErasureNotice, ExportState, NoticeRole

pytestmark = pytest.mark.django_db


def test_the_demo_shows_an_erasure_an_export_and_a_retention_run():
    load_demo()
    notice = ErasureNotice.objects.get(organiser__slug="mel", role=NoticeRole.LAUREATE)
    assert notice.acknowledged_at is None and notice.project_title
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    page = login(manager).get("/gestion/mel/donnees-personnelles/")
    assert page.status_code == 200 and notice.pseudonym.encode() in page.content
    export = DataExport.objects.get(user__email="malik.benhamou@makers.example")
    assert export.state == ExportState.READY and export.file
    report = retention.apply(dry_run=True)
    counts = report.counts()
    assert counts["not_selected"] >= 20  # the 2019 applications not selected
    assert any("account" in item for item in report.items["account_warnings"])
    assert any("dry run" in line for line in report.lines())
