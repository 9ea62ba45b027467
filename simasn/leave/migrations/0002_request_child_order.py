from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("leave", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="absencerequest",
            name="child_order",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="anak ke-"),
        ),
    ]
