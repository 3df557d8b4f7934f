"""Forms of the public campaign page and the maker's backstage: the page editor (content,
images, rewards), news updates, comments and the review conversation.

Amounts are typed the French way (``1 500,50``) or the English way; dates and times are
entered in Europe/Paris. Uploaded images go through ``core.uploads.clean_image`` (checked,
re-encoded, metadata removed)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from tremplin.calls.forms import MoneyField, add_image_fields
from tremplin.calls.manage_forms import ParisDateTimeField
from tremplin.calls.validators import MAX_VIDEO_URL_LENGTH, validate_video_url
from tremplin.campaigns.models import MAX_AMOUNT, Campaign, CampaignImage, RewardTier
from tremplin.campaigns.page import LOCKED_FIELDS, MAX_IMAGES, PageChanges, RewardChange
from tremplin.core import uploads
from tremplin.core.money import format_money

BLOCK_TAG = re.compile(r"<(p|ul|ol|h2|h3|blockquote)\b", re.IGNORECASE)
NEW_IMAGE_SLOTS = 3
MAX_REWARDS = 30
PAGE_FIELDS = ("title", "pitch", "description", "video_url", "goal", "starts_at", "ends_at")


class Form(forms.Form):
    use_required_attribute = False


class CampaignPageForm(Form):
    """The campaign page: text, video, goal, dates and images. Once the campaign is live the
    goal and the dates are shown but cannot change (disabled fields keep their value)."""

    title = forms.CharField(label=_("Title"), max_length=120)
    pitch = forms.CharField(
        label=_("Pitch"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your project in one or two sentences, shown at the top of the page."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=30000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Plain text (a blank line starts a new paragraph) or simple HTML: paragraphs, "
            "bold, italics, lists, titles (h2, h3), quotes and links. Anything else is removed."
        ),
    )
    video_url = forms.CharField(
        label=_("Video link"),
        max_length=MAX_VIDEO_URL_LENGTH,
        required=False,
        validators=[validate_video_url],
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_(
            "A link to your video on YouTube, Vimeo, Dailymotion or PeerTube "
            "(starting with https://). Visitors load it only when they click play."
        ),
    )
    goal = MoneyField(label=_("Goal (€)"))
    starts_at = ParisDateTimeField(label=_("Start (Paris time)"), required=False)
    ends_at = ParisDateTimeField(label=_("Deadline (Paris time)"), required=False)

    def __init__(self, *args: Any, campaign: Campaign, images: list[CampaignImage], **kwargs):
        self.campaign = campaign
        self.images = images
        kwargs.setdefault("initial", {name: getattr(campaign, name) for name in PAGE_FIELDS})
        super().__init__(*args, **kwargs)
        programme = campaign.programme
        self.fields["goal"].help_text = _(
            "The amount you want to raise, between %(min)s and %(max)s."
        ) % {"min": format_money(programme.min_goal), "max": format_money(programme.max_goal)}
        if campaign.state == "live":
            for name in LOCKED_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Locked: the campaign is live.")
        add_image_fields(self.fields, images, new_slots=NEW_IMAGE_SLOTS)

    # groups for the template
    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("title", "pitch", "description", "video_url")]

    def money_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("goal", "starts_at", "ends_at")]

    def existing_images(self):
        return [
            (image, self[f"image_{image.pk}_alt"], self[f"image_{image.pk}_remove"])
            for image in self.images
        ]

    def new_image_slots(self):
        return [
            (self[f"new_image_{slot}"], self[f"new_image_{slot}_alt"])
            for slot in range(1, NEW_IMAGE_SLOTS + 1)
        ]

    def clean_description(self) -> str:
        """Without paragraphs of its own, the text's blank lines make the paragraphs; the
        service then sanitises it (inline tags such as <strong> or links are kept)."""
        text = self.cleaned_data.get("description", "")
        if text and not BLOCK_TAG.search(text):
            text = linebreaks(text, autoescape=False)
        return text

    def clean_goal(self) -> Decimal | None:
        goal = self.cleaned_data.get("goal")
        programme = self.campaign.programme
        if goal is not None and not (programme.min_goal <= goal <= programme.max_goal):
            raise ValidationError(
                _("The goal must be between %(min)s and %(max)s.")
                % {
                    "min": format_money(programme.min_goal),
                    "max": format_money(programme.max_goal),
                },
                code="goal_range",
            )
        return goal

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and starts_at >= ends_at and "ends_at" not in self.errors:
            self.add_error(
                "ends_at",
                ValidationError(_("The campaign must end after it starts."), code="dates_order"),
            )
        kept = [image for image in self.images if not cleaned.get(f"image_{image.pk}_remove")]
        count = len(kept)
        for slot in range(1, NEW_IMAGE_SLOTS + 1):
            name = f"new_image_{slot}"
            upload = cleaned.get(name)
            if not isinstance(upload, UploadedFile):
                continue
            count += 1
            if count > MAX_IMAGES:
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "A campaign can have at most %(max)s images: remove one before "
                            "adding another."
                        )
                        % {"max": MAX_IMAGES},
                        code="too_many_images",
                    ),
                )
                continue
            try:
                cleaned[name] = uploads.clean_image(upload)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def changes(self) -> PageChanges:
        data = self.cleaned_data
        changes = PageChanges(
            fields={
                name: (data.get(name) if data.get(name) is not None else "")
                for name in ("title", "pitch", "description", "video_url")
            }
        )
        if not self.fields["goal"].disabled:
            for name in LOCKED_FIELDS:
                changes.fields[name] = data.get(name)
        for image in self.images:
            if data.get(f"image_{image.pk}_remove"):
                changes.removed_images.add(image.pk)
            else:
                changes.image_alts[image.pk] = data.get(f"image_{image.pk}_alt", "")
        for slot in range(1, NEW_IMAGE_SLOTS + 1):
            content = data.get(f"new_image_{slot}")
            if content:
                changes.new_images.append((content, data.get(f"new_image_{slot}_alt", "")))
        return changes


class RewardForm(Form):
    """One reward (contrepartie). An empty extra form is ignored."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Reward title"), max_length=120)
    description = forms.CharField(
        label=_("What the contributor gets"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    min_amount = MoneyField(label=_("Minimum contribution (€)"))
    stock = forms.IntegerField(
        label=_("Stock"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text=_("Leave empty for an unlimited reward."),
    )
    estimated_delivery = forms.DateField(
        label=_("Estimated delivery"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    requires_shipping = forms.BooleanField(
        label=_("Needs a postal address (shipped)"), required=False
    )
    delete = forms.BooleanField(label=_("Remove this reward"), required=False)

    def __init__(self, *args: Any, rewards: dict[int, RewardTier], rules, **kwargs: Any):
        self.rewards = rewards
        self.campaign_settings = rules
        super().__init__(*args, **kwargs)

    @property
    def reward(self) -> RewardTier | None:
        pk = self.initial.get("id") or (self.cleaned_data.get("id") if self.is_bound else None)
        return self.rewards.get(pk) if pk else None

    def clean_id(self) -> int | None:
        pk = self.cleaned_data.get("id")
        if pk is not None and pk not in self.rewards:
            raise ValidationError(_("This reward does not belong to the campaign."))
        return pk

    def clean_min_amount(self) -> Decimal | None:
        amount = self.cleaned_data.get("min_amount")
        rules = self.campaign_settings
        if amount is None:
            return amount
        low, high = rules.min_contribution, min(rules.max_contribution, MAX_AMOUNT)
        if not (low <= amount <= high):
            raise ValidationError(
                _("The minimum contribution of a reward must be between %(min)s and %(max)s.")
                % {"min": format_money(low), "max": format_money(high)},
                code="amount_range",
            )
        return amount

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        reward = self.rewards.get(cleaned.get("id")) if cleaned.get("id") else None
        stock = cleaned.get("stock")
        if reward is not None and stock is not None and stock < reward.claimed:
            self.add_error(
                "stock",
                ValidationError(
                    _("The stock cannot go below the %(claimed)s already claimed.")
                    % {"claimed": reward.claimed},
                    code="stock_below_claimed",
                ),
            )
        if reward is not None and cleaned.get("delete") and reward.claimed:
            self.add_error(
                "delete",
                ValidationError(
                    _("Contributors already chose this reward: it cannot be removed."),
                    code="reward_claimed",
                ),
            )
        return cleaned

    def change(self) -> RewardChange | None:
        data = self.cleaned_data
        if not data or (not self.has_changed() and data.get("id") is None):
            return None
        return RewardChange(
            pk=data.get("id"),
            title=data.get("title", ""),
            description=data.get("description", ""),
            min_amount=data.get("min_amount"),
            stock=data.get("stock"),
            estimated_delivery=data.get("estimated_delivery"),
            requires_shipping=bool(data.get("requires_shipping")),
            delete=bool(data.get("delete")),
        )


class BaseRewardFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, rewards: list[RewardTier], rules, **kwargs: Any):
        self.reward_rows = {reward.pk: reward for reward in rewards}
        self.campaign_settings = rules
        kwargs.setdefault(
            "initial",
            [
                {
                    "id": reward.pk,
                    "title": reward.title,
                    "description": reward.description,
                    "min_amount": reward.min_amount,
                    "stock": reward.stock,
                    "estimated_delivery": reward.estimated_delivery,
                    "requires_shipping": reward.requires_shipping,
                }
                for reward in rewards
            ],
        )
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"rewards": self.reward_rows, "rules": self.campaign_settings}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            rewards=self.reward_rows,
            rules=self.campaign_settings,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def changes(self) -> list[RewardChange]:
        return [change for form in self.forms if (change := form.change()) is not None]


RewardFormSet = forms.formset_factory(
    RewardForm,
    formset=BaseRewardFormSet,
    extra=1,
    max_num=MAX_REWARDS,
    validate_max=True,
    absolute_max=MAX_REWARDS + 5,
)


class UpdateForm(Form):
    title = forms.CharField(label=_("Title of the news"), max_length=150)
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text. It is published on the campaign page and e-mailed to the "
            "contributors who asked for the news."
        ),
    )


class CommentForm(Form):
    author_name = forms.CharField(
        label=_("Name shown with your comment"), max_length=100, required=True
    )
    body = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReplyForm(Form):
    reply_to = forms.IntegerField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewMessageForm(Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, required: bool = False, label=None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["message"].required = required
        if label is not None:
            self.fields["message"].label = label
