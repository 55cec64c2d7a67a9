from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/list/", views.meeting_entry_list, name="entries"),
    path("actions/", views.action_list, name="actions"),
]
