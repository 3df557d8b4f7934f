"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

app_name = "donors_manage"

urlpatterns: list = []
