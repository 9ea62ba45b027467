"""The real URLconf plus a view that fails, to see the 500 page as a user would."""

from django.urls import path

from config.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("kegagalan uji")


urlpatterns = [*urlpatterns, path("uji-galat/", boom)]
