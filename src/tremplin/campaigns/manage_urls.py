app_name = "campaigns_manage"

urlpatterns: list = []
