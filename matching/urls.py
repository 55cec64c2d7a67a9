from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("matching/", views.find, name="find"),
    path("matching/requests/<int:pk>/", views.request_detail, name="request"),
    path("matching/requests/<int:pk>/place/", views.place, name="place"),
    path("matching/placements/", views.placement_list, name="placements"),
    path("matching/placements/<int:pk>/end/", views.placement_finish, name="placement-end"),
]
