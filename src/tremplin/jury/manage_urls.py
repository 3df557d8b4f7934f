app_name = "jury_manage"

urlpatterns: list = []
