"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

app_name = "coaching_manage"

urlpatterns: list = []
