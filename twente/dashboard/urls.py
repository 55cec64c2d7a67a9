from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("print/", views.dashboard_print, name="print"),
    path("map/", views.dashboard_map, name="map"),
    path("export/", views.dashboard_export, name="export"),
    path("province/", views.province_overview, name="province"),
    path("national/", views.national_overview, name="national"),
]
