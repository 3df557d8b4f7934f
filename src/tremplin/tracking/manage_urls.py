"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

app_name = "tracking_manage"

urlpatterns: list = []
