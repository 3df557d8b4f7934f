"""The maker's form for the uploaded video, its captions and its transcript."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import Campaign
from tremplin.kit import captions, video
from tremplin.kit.errors import KitError


class VideoForm(forms.Form):
    use_required_attribute = False

    video_file = forms.FileField(
        label=_("Video file"),
        required=False,
        help_text=_("MP4 or WebM, at most 40 MB and 3 minutes. Instead of a link, or beside it."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    remove_video = forms.BooleanField(label=_("Remove the uploaded video"), required=False)
    captions_file = forms.FileField(
        label=_("Captions file (WebVTT)"),
        required=False,
        help_text=_("A .vtt file, in French, timed to your video."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    remove_captions = forms.BooleanField(label=_("Remove the captions"), required=False)
    transcript = forms.CharField(
        label=_("Transcript"),
        required=False,
        max_length=captions.MAX_TRANSCRIPT_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Everything that is said in the video, in order. Shown beside the video."),
    )
    make_captions = forms.BooleanField(
        label=_("Make the captions from the transcript"),
        required=False,
        help_text=_(
            "The transcript is cut into captions of two lines, timed at a reading pace (or "
            "spread over the uploaded video). Check them in the player."
        ),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        kwargs.setdefault("initial", {"transcript": campaign.video_transcript})
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.video_kind = ""
        self.video_duration: float | None = None
        self.webvtt: bytes | None = None
        if not video.can_change_video_file(campaign):
            del self.fields["video_file"]
            del self.fields["remove_video"]

    def clean_video_file(self):
        upload = self.cleaned_data.get("video_file")
        if not upload:
            return None
        try:
            self.video_kind, self.video_duration = video.check_video(upload)
        except KitError as error:
            raise ValidationError(error.messages) from None
        return upload

    def clean_captions_file(self):
        upload = self.cleaned_data.get("captions_file")
        if not upload:
            return None
        if upload.size is not None and upload.size > captions.MAX_CAPTIONS_BYTES:
            raise ValidationError(
                _("The captions file is too large (at most %(max)s KB).")
                % {"max": captions.MAX_CAPTIONS_BYTES // 1024}
            )
        upload.seek(0)
        data = upload.read(captions.MAX_CAPTIONS_BYTES + 1)
        try:
            captions.parse_webvtt(data)
        except captions.CaptionsError as error:
            raise ValidationError(error.messages) from None
        self.webvtt = data
        return upload

    def clean_transcript(self):
        text = self.cleaned_data.get("transcript", "")
        if "\x00" in text:
            raise ValidationError(_("The transcript contains a NUL byte."))
        return text.replace("\r\n", "\n").strip()

    def clean(self):
        data = super().clean()
        if data.get("video_file") and data.get("remove_video"):
            self.add_error("remove_video", _("Upload a new video or remove it, not both."))
        if data.get("make_captions"):
            if self.webvtt is not None:
                self.add_error(
                    "make_captions",
                    _("Upload a captions file or make them from the transcript, not both."),
                )
            elif not data.get("transcript"):
                self.add_error("transcript", _("Type the transcript to make captions from it."))
            elif "transcript" in data:
                try:
                    captions.transcript_cues(data["transcript"])
                except captions.CaptionsError as error:
                    self.add_error("transcript", error.messages)
        if data.get("remove_captions") and (self.webvtt is not None or data.get("make_captions")):
            self.add_error("remove_captions", _("New captions or none: choose one."))
        return data
