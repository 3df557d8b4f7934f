"""A person's own pages: their data (export, erasure) in their space, the download of an
export, and the export asked for by a contributor without an account (signed link)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core.ratelimit import allow, client_ip
from tremplin.privacy import erasure, exports
from tremplin.privacy.forms import EraseForm
from tremplin.privacy.models import DataExport, ExportState
from tremplin.privacy.rules import can_download

MAX_TOKEN = 400


def _account_page(request: HttpRequest, form: EraseForm | None = None, status: int = 200):
    user = request.user
    recent = DataExport.objects.filter(user=user).order_by("-requested_at")[:5]
    rows = [
        {
            "export": e,
            "path": exports.download_path(e) if e.state == ExportState.READY else "",
        }
        for e in recent
    ]
    context = {
        "exports": rows,
        "blockers": erasure.blockers(user),
        "form": form or EraseForm(user=user),
        "export_days": settings.PRIVACY_EXPORT_DAYS,
    }
    return render(request, "privacy/account.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    if not allow("privacy-export", str(request.user.pk), limit=5, window=3600):
        return HttpResponse(_("Too many export requests: try again in an hour."), status=429)
    exports.request_export(user=request.user)
    messages.success(
        request,
        _("Your export is being prepared: we will e-mail you the link when it is ready."),
    )
    return redirect("privacy:account")


@login_required
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = EraseForm(request.POST, user=user)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    try:
        erasure.erase_account(user)
    except erasure.ErasureRefused as refusal:
        for message in refusal.messages:
            form.add_error(None, message)
        return _account_page(request, form, status=409)
    logout(request)
    messages.success(request, _("Your account is erased. Thank you for your time with us."))
    return redirect("/")


def _export_or_404(request: HttpRequest, token: str) -> DataExport:
    if len(token) > MAX_TOKEN or "\x00" in token:
        raise Http404
    export = exports.export_from_token(token)
    if export is None or not can_download(request.user, export):
        raise Http404
    return export


class _DeletedOnClose:
    """The export's file, deleted from the storage once the response has been sent."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.handle = default_storage.open(name, "rb")

    def read(self, *args):
        return self.handle.read(*args)

    def close(self) -> None:
        self.handle.close()
        default_storage.delete(self.name)


@require_http_methods(["GET", "HEAD", "POST"])
def download(request: HttpRequest, token: str) -> HttpResponse:
    export = _export_or_404(request, token)
    if request.method == "POST":
        name = export.file.name
        try:
            body = _DeletedOnClose(name) if name else None
        except OSError:  # the file is gone (deleted by hand, lost storage): nothing to give
            body = None
        if body is None or not exports.claim_download(export):
            if body is not None:
                body.handle.close()
            return render(request, "privacy/download.html", {"export": export}, status=410)
        DataExport.objects.filter(pk=export.pk).update(file="")
        return FileResponse(
            body,
            as_attachment=True,
            filename="tremplin-mes-donnees.zip",
            content_type="application/zip",
        )
    return render(request, "privacy/download.html", {"export": export, "token": token})


@require_http_methods(["GET", "HEAD", "POST"])
def request_by_email(request: HttpRequest, token: str) -> HttpResponse:
    """A contributor without an account: the contributors' space links here with the
    address signed (``exports.request_link``)."""
    if len(token) > MAX_TOKEN or "\x00" in token:
        raise Http404
    email = exports.email_from_request_token(token)
    if email is None:
        raise Http404
    if request.method == "POST":
        if not (
            allow("privacy-export-ip", client_ip(request), limit=10, window=3600)
            and allow("privacy-export-email", email, limit=3, window=3600)
        ):
            return render(
                request, "privacy/request.html", {"email": email, "limited": True}, status=429
            )
        exports.request_export(email=email)
        return render(request, "privacy/request.html", {"email": email, "done": True})
    return render(request, "privacy/request.html", {"email": email})
