# The rendered fragments moved to Django's cache framework (web/fragments.py): the database
# cache's table is created by migrate itself (WebConfig's post_migrate), Redis needs none.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0001_fragments"),
    ]

    operations = [
        migrations.DeleteModel(name="DataVersion"),
        migrations.DeleteModel(name="Fragment"),
    ]
