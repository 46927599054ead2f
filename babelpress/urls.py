from django.contrib import admin
from django.urls import include, path

from babelpress.translation.admin import coverage_view
from babelpress.translation.engine_page import engines_view

urlpatterns = [
    path("admin/translation/coverage/", admin.site.admin_view(coverage_view), name="translation_coverage"),
    path("admin/translation/engines/", admin.site.admin_view(engines_view), name="translation_engines"),
    path("admin/", admin.site.urls),
    path("", include("babelpress.site.urls")),
]

handler404 = "babelpress.site.views.page_not_found"
handler500 = "babelpress.site.views.server_error"
