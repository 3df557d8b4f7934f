"""Public and personal URLs of the app."""

app_name = "privacy"

urlpatterns: list = []
