"""Public and personal URLs of the app."""

app_name = "donors"

urlpatterns: list = []
