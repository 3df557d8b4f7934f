"""Issue #8: whether matched funds count toward the goal moves from the matchfunding pot to
the programme's CampaignSettings (campaigns decides the outcome with it); whether funding
did the money side of a close is a field (Campaign.funds_closed_at) instead of the presence
of a "tremplin.campaign.funding_closed" audit row (the row stays, as a record)."""

from django.db import migrations

FUNDING_CLOSED_ACTION = "tremplin.campaign.funding_closed"


def forwards(apps, schema_editor):
    MatchfundingPot = apps.get_model("funding", "MatchfundingPot")
    CampaignSettings = apps.get_model("campaigns", "CampaignSettings")
    for programme_id in MatchfundingPot.objects.filter(counts_toward_goal=True).values_list(
        "programme_id", flat=True
    ):
        settings, _created = CampaignSettings.objects.get_or_create(programme_id=programme_id)
        settings.matched_counts_toward_goal = True
        settings.save(update_fields=["matched_counts_toward_goal"])

    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditLog = apps.get_model("core", "AuditLog")
    Campaign = apps.get_model("campaigns", "Campaign")
    content_type = ContentType.objects.filter(app_label="campaigns", model="campaign").first()
    if content_type is None:
        return
    rows = (
        AuditLog.objects.filter(action=FUNDING_CLOSED_ACTION, content_type=content_type)
        .order_by("created_at", "pk")
        .values_list("object_id", "created_at")
    )
    first: dict[str, object] = {}
    for object_id, created_at in rows:
        first.setdefault(object_id, created_at)
    for object_id, created_at in first.items():
        if object_id.isdigit():
            Campaign.objects.filter(pk=int(object_id), funds_closed_at__isnull=True).update(
                funds_closed_at=created_at
            )


def backwards(apps, schema_editor):
    MatchfundingPot = apps.get_model("funding", "MatchfundingPot")
    CampaignSettings = apps.get_model("campaigns", "CampaignSettings")
    programmes = CampaignSettings.objects.filter(matched_counts_toward_goal=True).values_list(
        "programme_id", flat=True
    )
    MatchfundingPot.objects.filter(programme_id__in=list(programmes)).update(
        counts_toward_goal=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0002_contribution_reward_unavailable"),
        ("campaigns", "0002_settings_matched_counts_and_funds_closed_at"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="matchfundingpot",
            name="counts_toward_goal",
        ),
    ]
