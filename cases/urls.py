from django.urls import path

from . import file_views

app_name = "case_files"
urlpatterns = [
    path("attachments/<int:pk>/", file_views.attachment, name="attachment"),
    path("images/<int:pk>/<str:spec>/", file_views.image, name="image"),
    path("cases/<int:pk>/application.pdf", file_views.application, name="application"),
]
