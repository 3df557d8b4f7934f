"""The tracking app's personal data, declared for the privacy registry (see
docs/privacy.md): plain data, so that tracking never imports privacy (which sits above it).

``DailyFigure`` and ``SeriesCursor`` hold counts and sums per campaign and day, never a
person: they need no declaration (nothing in them looks personal)."""

PERSONAL_DATA: list[dict] = []

NOT_PERSONAL: dict[str, str] = {}
