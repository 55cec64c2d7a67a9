from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/bevestigen/", views.import_confirm, name="confirm"),
    path("<int:pk>/status/", views.import_status, name="status"),
]
