from django.urls import path

from . import views

app_name = "allocation"

urlpatterns = [
    path("allocations/", views.assignment_list, name="assignment-list"),
    path("allocations/new/", views.assignment_new, name="assignment-new"),
    path("allocations/exchanges/", views.exchange_list, name="exchange-list"),
    path(
        "allocations/exchanges/<int:pk>/withdraw/",
        views.exchange_withdraw_view,
        name="exchange-withdraw",
    ),
    path("allocations/<slug:code>/", views.assignment_detail, name="assignment-detail"),
    path("allocations/<slug:code>/agree/", views.assignment_agree, name="assignment-agree"),
    path("allocations/<slug:code>/adopt/", views.assignment_adopt_view, name="assignment-adopt"),
    path("allocations/<slug:code>/exchanges/new/", views.exchange_new, name="exchange-new"),
]
