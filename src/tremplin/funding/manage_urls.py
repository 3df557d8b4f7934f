app_name = "funding_manage"

urlpatterns: list = []
