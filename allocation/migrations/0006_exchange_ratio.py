"""Exchanges state a ratio (default 1:1) and the places that arrive on the receiving side."""

import django.core.validators
from django.db import migrations, models
from django.db.models import F, Q


def places_arrive_one_to_one(apps, schema_editor):
    Exchange = apps.get_model("allocation", "Exchange")
    Exchange.objects.update(to_places=F("places"))


class Migration(migrations.Migration):
    dependencies = [("allocation", "0005_share_status")]

    operations = [
        migrations.AddField(
            model_name="exchange",
            name="ratio_from",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="verhouding: afgestaan",
            ),
        ),
        migrations.AddField(
            model_name="exchange",
            name="ratio_to",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="verhouding: overgenomen",
            ),
        ),
        migrations.AddField(
            model_name="exchange",
            name="to_places",
            field=models.PositiveIntegerField(
                default=1, verbose_name="aantal plaatsen overgenomen"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(places_arrive_one_to_one, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="exchange",
            name="to_places",
            field=models.PositiveIntegerField(
                help_text="Het aantal plaatsen volgens de verhouding; bij 1:1 gelijk aan het aantal.",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="aantal plaatsen overgenomen",
            ),
        ),
        migrations.AddConstraint(
            model_name="exchange",
            constraint=models.CheckConstraint(
                condition=Q(to_places__gte=1) & Q(ratio_from__gte=1) & Q(ratio_to__gte=1),
                name="exchange_ratio_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="exchange",
            constraint=models.CheckConstraint(
                condition=~Q(from_assignment=F("to_assignment"))
                | (Q(ratio_from=1) & Q(ratio_to=1) & Q(to_places=F("places"))),
                name="exchange_transfer_one_to_one",
            ),
        ),
    ]
