"""Public and personal URLs of the app."""

app_name = "coaching"

urlpatterns: list = []
