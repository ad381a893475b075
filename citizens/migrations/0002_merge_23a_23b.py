"""Joins the two first migrations of citizens (identities, and the Postfach with the profile)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("citizens", "0001_23a_identities_and_providers"),
        ("citizens", "0001_23b_postbox_and_profile"),
    ]

    operations: list[migrations.operations.base.Operation] = []
