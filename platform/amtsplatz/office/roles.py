"""The office's staff roles: Groups of the public schema (created by migration 0002)."""

from __future__ import annotations

OFFICE_ADMIN = "Office administrators"
CATALOGUE_EDITOR = "Catalogue editors"
BILLING = "Billing"

MANAGE = "office.manage_municipalities"
DASHBOARD = "office.view_dashboard"
ANNOUNCE = "office.post_announcement"

# Permissions of each role as (app label, codename); migration 0002 created them with a frozen copy.
ROLE_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    CATALOGUE_EDITOR: (
        ("services_catalog", "add_servicedefinition"),
        ("services_catalog", "change_servicedefinition"),
        ("services_catalog", "view_servicedefinition"),
        ("services_catalog", "add_serviceversion"),
        ("services_catalog", "view_serviceversion"),
        ("office", "view_dashboard"),
    ),
    BILLING: (
        ("billing", "add_plan"),
        ("billing", "change_plan"),
        ("billing", "view_plan"),
        ("billing", "change_subscription"),
        ("billing", "view_subscription"),
        ("billing", "view_invoice"),
        ("office", "view_dashboard"),
    ),
}
ROLE_PERMISSIONS[OFFICE_ADMIN] = tuple(
    sorted(
        {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
        | {
            ("office", "manage_municipalities"),
            ("office", "post_announcement"),
            ("office", "view_officeaction"),
        }
    )
)
