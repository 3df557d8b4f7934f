"""The record of processing activities (GDPR art. 30) of one organiser: each processing
the platform performs for it, with its purpose, legal basis, categories of people and of
data, recipients, transfers and periods — the categories of data read from the registry
(the verbose names of the declared fields), the periods from the same settings as the
privacy page and the retention job, with the organiser's longer periods per programme.
Shown as a printable page and exported as XLSX for the data protection officer."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from tremplin.calls.models import Programme
from tremplin.privacy.registry import declaration_of, declarations
from tremplin.privacy.retention import SETTING_OF, periods, programme_years


@dataclass
class Processing:
    name: str
    purpose: str
    basis: str
    people: str
    data: str
    recipients: str
    retention: str
    transfers: str = ""


def _data_of(*labels: str) -> str:
    """The categories of data of the declared models, by their fields' verbose names."""
    from django.apps import apps

    seen: list[str] = []
    for label in labels:
        model = apps.get_model(label)
        declaration = declaration_of(model)
        if declaration is None:
            continue
        for name in (*declaration.fields, *declaration.files, *declaration.email):
            if "__" in name:
                continue
            verbose = str(model._meta.get_field(name).verbose_name)
            if verbose not in seen:
                seen.append(verbose)
    return ", ".join(seen)


def _years(n: int) -> str:
    return _("%(n)s year(s)") % {"n": n}


def _programme_periods(organiser) -> str:
    """The programmes whose periods differ from the platform's."""
    parts = []
    for programme in Programme.objects.filter(organiser=organiser).select_related("retention"):
        labels = {
            "draft_years": _("drafts"),
            "not_selected_years": _("not selected"),
            "laureate_years": _("laureates"),
        }
        longer = [
            f"{labels[key]}: {_years(programme_years(programme, key))}"
            for key in SETTING_OF
            if programme_years(programme, key) != getattr(settings, SETTING_OF[key])
        ]
        if longer:
            parts.append(f"{programme.name} ({', '.join(longer)})")
    return "; ".join(parts)


def processings(organiser) -> list[Processing]:
    p = periods()
    overrides = _programme_periods(organiser)
    application_retention = _(
        "Drafts never submitted: %(draft)s after the call closes; applications not selected: "
        "%(not_selected)s after the results; laureates' applications: %(laureate)s after "
        "the campaigns end."
    ) % {
        "draft": _years(p["draft_years"]),
        "not_selected": _years(p["not_selected_years"]),
        "laureate": _years(p["laureate_years"]),
    }
    if overrides:
        application_retention += " " + _("Longer periods set for: %(list)s.") % {"list": overrides}
    return [
        Processing(
            _("Call for projects"),
            _("Receive, examine and screen the applications to the calls for projects."),
            _("Task carried out in the public interest (GDPR art. 6.1.e)"),
            _("Makers who apply"),
            _data_of("calls.Application", "calls.Answer", "calls.ApplicationImage"),
            _("The organiser's team; the jury (eligible applications); the public (laureates)"),
            application_retention,
        ),
        Processing(
            _("Jury"),
            _("Let the partner organisations assess the applications and keep the tally."),
            _("Task carried out in the public interest (GDPR art. 6.1.e)"),
            _("Jurors (members of partner organisations)"),
            _data_of("jury.JuryMember", "jury.Ballot", "jury.Recusal", "core.User"),
            _("The organiser's team; ballots secret until the results are published"),
            _("As long as the programme's applications (the tally must stay re-computable)."),
        ),
        Processing(
            _("Crowdfunding campaigns and contributions"),
            _("Take gifts to the laureates' campaigns, refund them, keep the accounts."),
            _(
                "Performance of a contract (GDPR art. 6.1.b); legal obligation for the "
                "accounting records (GDPR art. 6.1.c)"
            ),
            _("Contributors"),
            _data_of("funding.Contribution"),
            _(
                "The organiser's team; the maker (contributors' list, anonymity respected); "
                "the payment provider"
            ),
            _("The contributor's identity: %(years)s after the campaign closed; amounts kept.")
            % {"years": _years(p["contribution_years"])},
        ),
        Processing(
            _("Comments and news"),
            _("Let visitors comment on the campaigns and moderate them."),
            _("Legitimate interest (GDPR art. 6.1.f)"),
            _("People who comment"),
            _data_of("campaigns.Comment"),
            _("The public; the maker and the organiser (moderation)"),
            _("As long as the campaign page, or until the author erases their account."),
        ),
        Processing(
            _("Accounts"),
            _("Let people sign in, keep their accounts secure, write to them."),
            _("Performance of the terms of use (GDPR art. 6.1.b)"),
            _("Account holders: makers, jurors, organiser teams, contributors"),
            _data_of("core.User", "account.EmailAddress"),
            _("The operator (processor)"),
            _(
                "%(years)s after the last sign-in (warned %(days)s days before), or at once "
                "when the person erases the account."
            )
            % {"years": _years(p["account_years"]), "days": p["account_warning_days"]},
        ),
        Processing(
            _("Organiser teams and partner members"),
            _("Give each person access to what their role needs."),
            _("Legitimate interest (GDPR art. 6.1.f)"),
            _("Organiser staff, partner members"),
            _data_of("core.OrganiserMembership", "core.PartnerMembership", "core.User"),
            _("The organiser's team"),
            _("As long as the membership; then as the account."),
        ),
        Processing(
            _("Audit log"),
            _("Keep a trustworthy record of decisions and changes."),
            _("Task carried out in the public interest (GDPR art. 6.1.e)"),
            _("Everyone who changes something"),
            _("Who (pseudonymised once the account is erased), what, when"),
            _("The organiser's team"),
            _("As long as the programme it belongs to."),
        ),
        Processing(
            _("Rights requests"),
            _("Answer access, portability and erasure requests."),
            _("Legal obligation (GDPR art. 6.1.c)"),
            _("Anyone who asks"),
            _data_of("privacy.DataExport"),
            _("The person only"),
            _("The export: %(days)s days, deleted once downloaded.") % {"days": p["export_days"]},
        ),
    ]


def header_labels() -> list[str]:
    return [
        _("Processing"),
        _("Purpose"),
        _("Legal basis"),
        _("Categories of people"),
        _("Categories of data"),
        _("Recipients"),
        _("Transfers outside the EU"),
        _("Retention"),
    ]


def rows(organiser) -> list[list[str]]:
    eu = _("None: data stored in the European Union")
    return [
        [p.name, p.purpose, p.basis, p.people, p.data, p.recipients, p.transfers or eu, p.retention]
        for p in processings(organiser)
    ]


def xlsx(organiser) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Record")[:31]
    operator = settings.TREMPLIN_OPERATOR
    sheet.append([_("Record of processing activities (GDPR art. 30)")])
    sheet.append([_("Controller"), organiser.name])
    sheet.append([_("Processor"), operator.get("name", "")])
    sheet.append([_("Data protection officer"), operator.get("dpo_email", "")])
    sheet.append([])
    sheet.append(header_labels())
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows(organiser):
        sheet.append(row)
    for column, width in zip("ABCDEFGH", (24, 40, 32, 28, 48, 36, 24, 48), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{header_row + 1}"
    # The registry itself: each model, how it is erased and why.
    models_sheet = book.create_sheet(_("Personal data")[:31])
    models_sheet.append([_("Model"), _("About"), _("Erasure"), _("Reason"), _("Retention")])
    for d in declarations():
        models_sheet.append([d.model, str(d.about), d.erasure, str(d.reason), str(d.retention)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
