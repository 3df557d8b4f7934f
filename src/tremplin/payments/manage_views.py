"""The organiser's payment settings: which providers, and their keys (write-only)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.core.permissions import organiser_view
from tremplin.payments import services
from tremplin.payments.models import ProviderAccount
from tremplin.payments.providers.base import available_provider_classes, provider_classes


@organiser_view(post_needs_edit=True)
@require_safe
def providers(request: HttpRequest) -> HttpResponse:
    accounts = {a.provider: a for a in ProviderAccount.objects.filter(organiser=request.organiser)}
    rows = [
        {
            "identifier": identifier,
            "name": cls.verbose_name,
            "configurable": cls.settings_form_class is not None,
            "configured": cls(accounts[identifier].settings).is_configured()
            if identifier in accounts
            else cls.settings_form_class is None,
        }
        for identifier, cls in sorted(available_provider_classes().items())
    ]
    return render(request, "payments/manage/providers.html", {"rows": rows})


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def provider_settings(request: HttpRequest, provider: str) -> HttpResponse:
    cls = provider_classes().get(provider)
    if cls is None or cls.settings_form_class is None:
        raise Http404
    account = ProviderAccount.objects.filter(organiser=request.organiser, provider=provider).first()
    saved = dict(account.settings) if account else {}
    form = cls.settings_form_class(request.POST if request.method == "POST" else None, saved=saved)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.save_provider_account(
                request.organiser, provider, form.settings(), user=request.user
            )
            messages.success(request, _("The payment settings are saved."))
            return redirect("payments_manage:provider", request.organiser.slug, provider)
        status = 400
    saved_secrets = [
        form[name].label for name in cls.secret_settings if saved.get(name) and name in form.fields
    ]
    context = {"form": form, "provider": cls, "saved_secrets": saved_secrets}
    return render(request, "payments/manage/provider_settings.html", context, status=status)
