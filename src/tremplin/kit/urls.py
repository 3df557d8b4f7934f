"""Public and personal URLs of the app."""

app_name = "kit"

urlpatterns: list = []
