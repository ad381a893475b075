"""The office's staff roles as Groups of the public schema, with their permissions.

Permissions are created here when missing: Django adds them only after all migrations ran.
"""

from django.db import migrations

# Frozen copy of amtsplatz.office.roles.ROLE_PERMISSIONS at the time of this migration.
CATALOGUE = (
    ("services_catalog", "servicedefinition", "add_servicedefinition", "Can add service definition"),
    ("services_catalog", "servicedefinition", "change_servicedefinition", "Can change service definition"),
    ("services_catalog", "servicedefinition", "view_servicedefinition", "Can view service definition"),
    ("services_catalog", "serviceversion", "add_serviceversion", "Can add service version"),
    ("services_catalog", "serviceversion", "view_serviceversion", "Can view service version"),
)
BILLING = (
    ("billing", "plan", "add_plan", "Can add plan"),
    ("billing", "plan", "change_plan", "Can change plan"),
    ("billing", "plan", "view_plan", "Can view plan"),
    ("billing", "subscription", "change_subscription", "Can change subscription"),
    ("billing", "subscription", "view_subscription", "Can view subscription"),
    ("billing", "invoice", "view_invoice", "Can view invoice"),
)
DASHBOARD = (("office", "officeaction", "view_dashboard", "Can see the cross-municipality dashboard"),)
ADMIN_ONLY = (
    (
        "office",
        "officeaction",
        "manage_municipalities",
        "Can onboard, suspend, export, restore and delete municipalities",
    ),
    ("office", "officeaction", "post_announcement", "Can post announcements to municipalities"),
    ("office", "officeaction", "view_officeaction", "Can view office action"),
)
ROLES = {
    "Office administrators": CATALOGUE + BILLING + DASHBOARD + ADMIN_ONLY,
    "Catalogue editors": CATALOGUE + DASHBOARD,
    "Billing": BILLING + DASHBOARD,
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, permissions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for app_label, model, codename, name in permissions:
            content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("office", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("services_catalog", "0002_version_immutability_and_search"),
        ("billing", "0002_plans_subscriptions_invoices"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
