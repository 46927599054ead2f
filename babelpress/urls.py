from django.contrib import admin
from django.urls import include, path

from django.conf import settings


urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("babelpress.site.urls")),
]

handler404 = "babelpress.site.views.page_not_found"
handler500 = "babelpress.site.views.server_error"
