# The roll-up's stored per-agency quarter figures (issue 18; docs/rollup.md)

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('planning', '0011_plan_import_job'),
    ]

    operations = [
        migrations.CreateModel(
            name='AgencyQuarterFigures',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('quarter', models.PositiveSmallIntegerField()),
                ('k', models.CharField(max_length=64, null=True)),
                ('rp', models.CharField(max_length=64, null=True)),
                ('realised', models.CharField(default='0', max_length=64)),
                ('pagu', models.CharField(default='0', max_length=64)),
                ('rp_terms', models.PositiveIntegerField(default=0)),
                ('realised_all', models.CharField(max_length=64, null=True)),
                ('cash_plan', models.CharField(max_length=64, null=True)),
                ('status', models.CharField(default='', max_length=16)),
                ('data_token', models.CharField(max_length=32)),
                ('figures_token', models.CharField(default='', max_length=32)),
                ('computed_at', models.DateTimeField(null=True)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='planning.agency')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('year', 'quarter', 'agency'), name='rollup_figures_unique')],
            },
        ),
    ]
