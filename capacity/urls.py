from django.urls import path

from . import views
from .housing import views as housing_views
from .national import views as national_views

app_name = "capacity"

urlpatterns = [
    path("locations/", views.location_list, name="location-list"),
    path("locations/new/", views.location_new, name="location-new"),
    path("locations/<str:code>/", views.location_detail, name="location-detail"),
    path("locations/<str:code>/edit/", views.location_edit, name="location-edit"),
    path("counts/", views.weekly_counts, name="weekly-counts"),
    path("counts/reports/<int:pk>/checked/", views.report_checked, name="report-checked"),
    path("thresholds/", views.thresholds_edit, name="thresholds"),
    path("permit-holders/", housing_views.permit_holders, name="permit-holders"),
    path("national-figures/", national_views.national_figures, name="national-figures"),
]
