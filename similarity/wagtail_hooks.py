from django.urls import include, path
from wagtail import hooks

from . import urls


@hooks.register("register_admin_urls")
def register_similarity_urls():
    return [path("similarity/", include((urls.urlpatterns, "similarity"), namespace="similarity"))]
