"""One municipality can reach nothing of another's: logins, pages, cache, files, tasks."""

from __future__ import annotations

import boto3
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Site

from amtsplatz.core.tasks import worker_probe
from amtsplatz.infra.storage import TenantFileSystemStorage, TenantS3Storage
from cms.models import ContentPage, HomePage
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str) -> int:
    response = client.post("/cms/login/", {"username": username, "password": password})
    return response.status_code


def test_gera_admin_cannot_log_into_wurzen_cms(
    gera_client: Client, wurzen_client: Client, wurzen: Municipality
) -> None:
    assert _login(gera_client, "it@gera.example", "Gera-Admin-Passwort-1") == 302
    assert gera_client.get("/cms/").status_code == 200

    assert _login(wurzen_client, "it@gera.example", "Gera-Admin-Passwort-1") == 200
    assert wurzen_client.get("/cms/").status_code == 302


def test_gera_session_cookie_is_worthless_on_wurzen(gera_client: Client, wurzen: Municipality) -> None:
    assert _login(gera_client, "it@gera.example", "Gera-Admin-Passwort-1") == 302
    session_cookie = gera_client.cookies["sessionid"]
    assert not session_cookie["domain"]  # host-only
    stolen = Client(HTTP_HOST="wurzen.localhost")
    stolen.cookies["sessionid"] = session_cookie.value
    response = stolen.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cms/login/")


def test_gera_pages_are_not_reachable_on_wurzen_host(
    gera: Municipality, gera_client: Client, wurzen_client: Client
) -> None:
    with schema_context("gera"):
        home = HomePage.objects.get()
        home.add_child(instance=ContentPage(title="Geraer Höhler", slug="hoehler"))
    assert gera_client.get("/hoehler/").status_code == 200
    assert wurzen_client.get("/hoehler/").status_code == 404
    wurzen_home = wurzen_client.get("/")
    assert wurzen_home.status_code == 200
    assert "Stadt Wurzen" in wurzen_home.content.decode()
    assert "Gera" not in wurzen_home.content.decode()


def test_cached_value_of_gera_is_not_seen_under_wurzen(gera: Municipality, wurzen: Municipality) -> None:
    with schema_context("gera"):
        cache.set("greeting", "Gera", 30)
        assert cache.get("greeting") == "Gera"
    with schema_context("wurzen"):
        assert cache.get("greeting") is None
        cache.set("greeting", "Wurzen", 30)
    with schema_context("gera"):
        assert cache.get("greeting") == "Gera"


def test_wagtail_site_root_paths_cache_is_per_schema(gera_client: Client, wurzen_client: Client) -> None:
    assert "Stadt Gera" in gera_client.get("/").content.decode()
    assert "Stadt Wurzen" in wurzen_client.get("/").content.decode()
    with schema_context("gera"):
        gera_paths = Site.get_site_root_paths()
    with schema_context("wurzen"):
        wurzen_paths = Site.get_site_root_paths()
    assert gera_paths[0].root_url == "http://gera.localhost:8000"
    assert wurzen_paths[0].root_url == "http://wurzen.localhost:8000"


def test_local_file_of_gera_lands_under_gera(gera: Municipality, settings) -> None:  # type: ignore[no-untyped-def]
    storage = TenantFileSystemStorage()
    with schema_context("gera"):
        name = storage.save("notes/hello.txt", ContentFile(b"Guten Tag"))
        path = storage.path(name)
    assert path.startswith(str(settings.MEDIA_ROOT) + "/gera/")
    with open(path, "rb") as stored:
        assert stored.read() == b"Guten Tag"


def test_s3_file_of_gera_lands_under_gera(gera: Municipality, s3_server: str) -> None:
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket="amtsplatz-media", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    storage = TenantS3Storage(
        bucket_name="amtsplatz-media",
        endpoint_url=s3_server,
        region_name="eu-central-1",
        access_key="testing",
        secret_key="testing",
    )
    with schema_context("gera"):
        name = storage.save("notes/hello.txt", ContentFile(b"Guten Tag"))
    keys = [item["Key"] for item in client.list_objects_v2(Bucket="amtsplatz-media")["Contents"]]
    assert keys == [f"gera/{name}"]
    body = client.get_object(Bucket="amtsplatz-media", Key=f"gera/{name}")["Body"].read()
    assert body == b"Guten Tag"


def test_celery_task_from_gera_runs_in_gera_schema_on_a_real_worker(
    gera: Municipality, wurzen: Municipality, celery_worker_process: object
) -> None:
    with schema_context("gera"):
        gera_result = worker_probe.delay()
    with schema_context("wurzen"):
        wurzen_result = worker_probe.delay()
    assert gera_result.get(timeout=90) == {
        "schema": "gera",
        "site_name": "Stadt Gera",
        "base_url": "http://gera.localhost:8000",
    }
    assert wurzen_result.get(timeout=90) == {
        "schema": "wurzen",
        "site_name": "Stadt Wurzen",
        "base_url": "http://wurzen.localhost:8000",
    }
