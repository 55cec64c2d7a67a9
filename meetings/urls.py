from django.urls import path

from . import annotation_views, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/list/", views.meeting_entry_list, name="entries"),
    path(
        "meetings/<int:pk>/annotaties/",
        annotation_views.annotated_agenda_page,
        name="annotations",
    ),
    path(
        "meetings/<int:pk>/annotaties/afdrukken/",
        annotation_views.annotated_agenda_print,
        name="annotations_print",
    ),
    path(
        "meetings/punten/<int:pk>/annotatie/",
        annotation_views.annotation_edit,
        name="annotation_edit",
    ),
    path("meetings/bijlagen/<int:pk>/", views.attachment_download, name="attachment"),
    path(
        "meetings/bijlagen/<int:pk>/versies/<int:version>/",
        views.attachment_download,
        name="attachment_version",
    ),
    path("meetings/portefeuilles/", views.portfolio_list, name="portfolios"),
    path("meetings/portefeuilles/<int:pk>/", views.portfolio_detail, name="portfolio"),
    path("actions/", views.action_list, name="actions"),
]
