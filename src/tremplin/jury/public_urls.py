app_name = "jury_public"

urlpatterns: list = []
