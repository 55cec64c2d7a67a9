from django.urls import path

from . import credit_views, views

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
    path(
        "allocations/credits/<int:pk>/remove/",
        credit_views.credit_remove_view,
        name="credit-remove",
    ),
    path("allocations/<slug:code>/", views.assignment_detail, name="assignment-detail"),
    path("allocations/<slug:code>/agree/", views.assignment_agree, name="assignment-agree"),
    path("allocations/<slug:code>/adopt/", views.assignment_adopt_view, name="assignment-adopt"),
    path("allocations/<slug:code>/exchanges/new/", views.exchange_new, name="exchange-new"),
    path("allocations/<slug:code>/credits/new/", credit_views.credit_new, name="credit-new"),
]
