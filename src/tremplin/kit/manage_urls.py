"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

app_name = "kit_manage"

urlpatterns: list = []
