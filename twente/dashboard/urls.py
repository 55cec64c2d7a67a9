from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("print/", views.dashboard_print, name="print"),
    path("export/", views.dashboard_export, name="export"),
]
