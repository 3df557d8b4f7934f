"""The organiser's coaching pages of a programme, under /gestion/<organiser>/: the hub
(campaigns with their readiness, workshops), the readiness checklist's template, and the
timed tips (``tips_views``). Every view is decorated with ``organiser_view``: another
organiser's programme answers 404, viewers read only (403 on POST)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.coaching import checklist, tips
from tremplin.coaching.enums import TipMoment
from tremplin.coaching.errors import CoachingError
from tremplin.coaching.forms import ChecklistFormSet, TipFormSet
from tremplin.coaching.models import Workshop
from tremplin.core.permissions import organiser_view


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme, organiser=request.organiser, slug=slug)


@organiser_view()
@require_safe
def programme(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = _programme(request, programme_slug)
    campaigns = list(
        Campaign.objects.filter(programme=programme)
        .select_related("coach", "application__maker", "programme")
        .order_by("title")
    )
    rows = []
    for campaign in campaigns:
        done, required = checklist.readiness(checklist.evaluate(campaign))
        rows.append((campaign, done, required))
    context = {
        "programme": programme,
        "rows": rows,
        "workshops": list(Workshop.objects.filter(programme=programme).order_by("-starts_at")),
        "in_force": checklist.in_force(programme),
    }
    return render(request, "coaching/manage/programme.html", context)


def _initial(items) -> list[dict]:
    return [
        {
            "key": item.key,
            "label_fr": item.label_fr,
            "label_en": item.label_en,
            "auto": item.auto,
            "threshold": item.threshold,
            "required": item.required,
        }
        for item in items
    ]


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def checklist_template(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = _programme(request, programme_slug)
    initial = _initial(checklist.template_for(programme))
    formset = ChecklistFormSet(request.POST or None, initial=initial, prefix="items")
    status = 200
    if request.method == "POST":
        status = 400
        rows = None
        if request.POST.get("adopt") == "default":
            rows = _initial(checklist.default_items(programme))
        elif formset.is_valid():
            rows = [
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and (form.has_changed() or form.cleaned_data.get("key"))
            ]
        if rows is not None:
            try:
                checklist.save_template(programme, user=request.user, rows=rows)
            except CoachingError as error:
                formset._non_form_errors = formset.error_class(error.messages)  # noqa: SLF001
            else:
                messages.success(
                    request, _("The readiness checklist is saved: it is required now.")
                )
                return redirect("coaching_manage:checklist", request.organiser.slug, programme.slug)
    context = {
        "programme": programme,
        "formset": formset,
        "in_force": checklist.in_force(programme),
    }
    return render(request, "coaching/manage/checklist.html", context, status=status)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def tips_settings(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = _programme(request, programme_slug)
    initial = [
        {
            "moment": rule.moment,
            "enabled": rule.enabled,
            "condition": rule.condition,
            "subject_fr": rule.subject_fr,
            "subject_en": rule.subject_en,
            "body_fr": rule.body_fr,
            "body_en": rule.body_en,
        }
        for rule in tips.rules_for(programme)
    ]
    formset = TipFormSet(request.POST or None, initial=initial, prefix="tips")
    status = 200
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            rows = [form.cleaned_data for form in formset.forms]
            if sorted(row["moment"] for row in rows) == sorted(TipMoment.values):
                tips.save_rules(programme, user=request.user, rows=rows)
                messages.success(request, _("The timed tips are saved."))
                return redirect("coaching_manage:tips", request.organiser.slug, programme.slug)
            formset._non_form_errors = formset.error_class(  # noqa: SLF001
                [_("Each moment appears once.")]
            )
    labels = dict(TipMoment.choices)
    context = {
        "programme": programme,
        "formset": formset,
        "rows": [(labels.get(form.initial.get("moment"), ""), form) for form in formset.forms],
    }
    return render(request, "coaching/manage/tips.html", context, status=status)
