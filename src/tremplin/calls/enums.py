from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CALL_OPEN = "call_open", _("Call open")
    CALL_CLOSED = "call_closed", _("Call closed")
    SCREENING = "screening", _("Eligibility screening")
    JURY = "jury", _("Jury voting")
    DELIBERATION = "deliberation", _("Deliberation")
    RESULTS = "results", _("Results published")
    CAMPAIGNS_LIVE = "campaigns_live", _("Campaigns live")
    CAMPAIGNS_CLOSED = "campaigns_closed", _("Campaigns closed")
    REPORT = "report", _("Report")


# Where a programme may go from each state; ``calls.programmes.change_programme_state``
# checks it.
PROGRAMME_TRANSITIONS: dict[str, set[str]] = {
    ProgrammeState.DRAFT: {ProgrammeState.CALL_OPEN},
    ProgrammeState.CALL_OPEN: {ProgrammeState.CALL_CLOSED},
    ProgrammeState.CALL_CLOSED: {ProgrammeState.CALL_OPEN, ProgrammeState.SCREENING},
    ProgrammeState.SCREENING: {ProgrammeState.JURY},
    ProgrammeState.JURY: {ProgrammeState.DELIBERATION},
    ProgrammeState.DELIBERATION: {ProgrammeState.RESULTS},
    ProgrammeState.RESULTS: {ProgrammeState.CAMPAIGNS_LIVE},
    ProgrammeState.CAMPAIGNS_LIVE: {ProgrammeState.CAMPAIGNS_CLOSED},
    ProgrammeState.CAMPAIGNS_CLOSED: {ProgrammeState.REPORT},
    ProgrammeState.REPORT: set(),
}

# State groups of a programme.
# The application form (its questions) can change.
QUESTION_EDITABLE_STATES = (ProgrammeState.DRAFT, ProgrammeState.CALL_OPEN)
# A maker can withdraw an application not screened yet.
WITHDRAWABLE_PROGRAMME_STATES = (
    ProgrammeState.CALL_OPEN,
    ProgrammeState.CALL_CLOSED,
    ProgrammeState.SCREENING,
)
# The organiser screens the submitted applications.
SCREENING_STATES = (ProgrammeState.CALL_CLOSED, ProgrammeState.SCREENING)


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The applications the organiser's team reads (list, detail, files, images): a draft is the
# maker's alone until it is submitted.
TEAM_READABLE_STATES = (ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN)


class Eligibility(models.TextChoices):
    PENDING = "pending", _("Not screened yet")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes / no")
    FILE = "file", _("File (PDF)")


class MakerProfile(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    ASSOCIATION = "association", _("Association volunteer")
    PUBLIC_AGENT = "public_agent", _("Public agent")
    STUDENT = "student", _("Student")
    JOBSEEKER = "jobseeker", _("Job seeker")
    EMPLOYEE = "employee", _("Employee")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")
