from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("probe", "0001_initial")]
    operations = [
        migrations.AddField(model_name="benchprobe", name="note", field=models.TextField(blank=True, default="")),
    ]
