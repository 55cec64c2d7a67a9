import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Bodies get the safety region or the province they belong to (nullable for now: the next
    migration fills them in for the existing bodies, the one after that makes it a rule)."""

    dependencies = [
        ("meetings", "0003_links_to_locations_and_assignments"),
        ("municipalities", "0003_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="body",
            name="province",
            field=models.ForeignKey(
                blank=True,
                help_text="Bij een provinciaal overleg, zoals de PRT; dan geen veiligheidsregio.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bodies",
                to="municipalities.province",
                verbose_name="provincie",
            ),
        ),
        migrations.AddField(
            model_name="body",
            name="safety_region",
            field=models.ForeignKey(
                blank=True,
                help_text="Bij een regionaal overleg, zoals de TRA.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bodies",
                to="municipalities.safetyregion",
                verbose_name="veiligheidsregio",
            ),
        ),
    ]
