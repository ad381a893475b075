"""Deployment material validates without a cluster or Docker: kustomize renders every overlay, the objects
pass kubernetes-validate for the current Kubernetes version, the Dockerfile passes hadolint."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.conftest import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
OVERLAYS = sorted(path.name for path in (DEPLOY / "k8s" / "overlays").iterdir() if path.is_dir())


def _render(overlay: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is missing: `make test` installs Debian's kubernetes-client"
    result = subprocess.run(
        [kubectl, "kustomize", str(DEPLOY / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def _by_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def test_both_overlays_exist() -> None:
    assert OVERLAYS == ["production", "staging"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_and_validates_for_the_current_kubernetes(overlay: str) -> None:
    objects = _render(overlay)
    version = kubernetes_validate.latest_version()
    for obj in objects:
        kubernetes_validate.validate(obj, version, strict=True)
    assert {obj["metadata"].get("namespace") for obj in objects} == {
        "amtsplatz" if overlay == "production" else "amtsplatz-staging"
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_has_the_production_layout(overlay: str) -> None:
    objects = _render(overlay)
    deployments = _by_kind(objects, "Deployment")
    assert set(deployments) == {"amtsplatz-web", "amtsplatz-worker", "amtsplatz-beat"}
    assert set(_by_kind(objects, "HorizontalPodAutoscaler")) == {"amtsplatz-web", "amtsplatz-worker"}
    assert set(_by_kind(objects, "PodDisruptionBudget")) == {"amtsplatz-web", "amtsplatz-worker"}
    assert deployments["amtsplatz-beat"]["spec"]["replicas"] == 1
    assert deployments["amtsplatz-beat"]["spec"]["strategy"]["type"] == "Recreate"

    migrate = _by_kind(objects, "Job")["amtsplatz-migrate"]
    assert _pod_spec(migrate)["containers"][0]["command"] == ["python", "manage.py", "migrate_all"]
    for deployment in deployments.values():
        init = _pod_spec(deployment)["initContainers"][0]
        assert init["command"][:4] == ["python", "manage.py", "migrate_all", "--check"]

    web = _pod_spec(deployments["amtsplatz-web"])["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"

    hosts = [rule["host"] for rule in _by_kind(objects, "Ingress")["amtsplatz"]["spec"]["rules"]]
    assert any(host.startswith("*.") for host in hosts)
    if overlay == "production":
        assert "www.gera.example" in hosts  # a municipality's custom domain


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_is_non_root_limited_and_gets_secrets_by_reference(overlay: str) -> None:
    objects = _render(overlay)
    assert not _by_kind(objects, "Secret"), "secrets are referenced, never rendered from the repository"
    workloads = [obj for obj in objects if obj["kind"] in ("Deployment", "Job", "CronJob")]
    assert len(workloads) == 5
    for workload in workloads:
        spec = _pod_spec(workload)
        assert spec["securityContext"]["runAsNonRoot"] is True
        for container in spec.get("initContainers", []) + spec["containers"]:
            assert container["image"].startswith("registry.example/amtsplatz:")
            assert {"cpu", "memory"} <= set(container["resources"]["requests"])
            assert {"cpu", "memory"} <= set(container["resources"]["limits"])
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert {"secretRef": {"name": "amtsplatz-secrets"}} in container["envFrom"]
            assert not any("value" in var for var in container.get("env", []))


def test_validation_rejects_a_broken_object() -> None:
    broken = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "broken"},
        "spec": {"replicas": "two", "selector": {}, "template": {}},
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)


def test_dockerfile_passes_hadolint() -> None:
    hadolint = Path(shutil.which("hadolint") or PROJECT_ROOT / ".venv" / "bin" / "hadolint")
    result = subprocess.run([str(hadolint), str(DEPLOY / "Dockerfile")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_one_non_root_image_from_the_lock_file() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert text.count("\nFROM ") + text.startswith("FROM ") >= 3  # assets, build, runtime
    assert "uv sync --frozen --no-dev" in text
    assert "npm ci" in text
    assert "collectstatic --noinput" in text
    assert "USER 10001" in text
    assert "HEALTHCHECK" in text and "/healthz" in text


def test_compose_runs_the_whole_one_host_layout() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "minio", "nginx", "migrate"} <= set(services)
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate_all"]
    nginx = (DEPLOY / "nginx" / "amtsplatz.conf").read_text()
    assert "*.portal.example" in nginx and "custom-domains" in nginx
    proxy = (DEPLOY / "nginx" / "amtsplatz-proxy.inc").read_text()
    assert "proxy_set_header Host $host;" in proxy
    assert "location = /metrics { return 404; }" in proxy
