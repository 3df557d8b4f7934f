"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

app_name = "privacy_manage"

urlpatterns: list = []
