"""Joins the workbench (20c) with the authentication fields and letters (20a, 23a)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_20c_merge"),
        ("applications", "0003_merge_20a_23a"),
    ]

    operations: list[migrations.operations.base.Operation] = []
