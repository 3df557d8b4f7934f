"""Public and personal URLs of the app."""

app_name = "tracking"

urlpatterns: list = []
