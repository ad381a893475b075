"""Demo identity providers: the TEST SAML IdP (demo/test_idp.py) as "BundID" and an OIDC test provider.

Both run as processes of ``deploy/Procfile.demo`` on this machine and are labelled as tests on the portal
buttons and on their own pages; no real ID card or account is involved.
"""

from __future__ import annotations

from citizens.models import OidcProvider, SamlIdentityProvider
from cms.staff_sign_on.models import StaffSignOn

TEST_IDP_PORT = 8090
TEST_OIDC_PORT = 8091


# The test provider's one person carries this group (deploy/Procfile.demo): it makes her an editor in /cms/.
TEST_STAFF_GROUP = "test-redaktion"


def identity_demo_ensure(slug: str) -> None:
    """The municipality's test BundID and test OIDC provider, and the staff sign-on to /cms/ with the same test
    provider (the current schema; safe to run again; a staff sign-on an administrator set up stays)."""
    SamlIdentityProvider.objects.get_or_create(
        metadata_url=f"http://127.0.0.1:{TEST_IDP_PORT}/metadata",
        defaults={"name": "TEST-IdP statt BundID"},
    )
    OidcProvider.objects.get_or_create(
        slug="test-oidc",
        defaults={
            "name": "TEST-OIDC-Anbieter",
            "issuer": f"http://127.0.0.1:{TEST_OIDC_PORT}",
            "client_id": f"{slug}-demo",
            "client_secret": f"demo-secret-{slug}",
            "trust_level": "low",
        },
    )
    staff = StaffSignOn.load()
    if not staff.usable:
        staff.enabled = True
        staff.discovery_url = f"http://127.0.0.1:{TEST_OIDC_PORT}/.well-known/openid-configuration"
        staff.client_id = f"{slug}-staff-demo"
        staff.client_secret = f"demo-staff-secret-{slug}"
        staff.groups_claim = "groups"
        staff.group_mapping = f"{TEST_STAFF_GROUP} = Editors"
        staff.save()
