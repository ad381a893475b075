from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('office', '0010_h26b_bulk_onboarding'),
    ]

    operations = [
        migrations.AddField(
            model_name='announcement',
            name='ags_prefix',
            field=models.CharField(blank=True, max_length=5, verbose_name='AGS begins with'),
        ),
    ]
