from wagtail import hooks

from services_catalog.local.views import local_service_viewset


@hooks.register("register_admin_viewset")
def register_local_services() -> object:
    return local_service_viewset
