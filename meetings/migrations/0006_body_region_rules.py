from django.db import migrations, models


class Migration(migrations.Migration):
    """Every body is in exactly one region or province; its code is unique there (two regions
    may each have a TRA)."""

    dependencies = [
        ("meetings", "0005_bodies_of_twente"),
    ]

    operations = [
        migrations.AlterField(
            model_name="body",
            name="code",
            field=models.CharField(
                help_text="Bijvoorbeeld TRA, BAO of PRT.", max_length=20, verbose_name="afkorting"
            ),
        ),
        migrations.AddConstraint(
            model_name="body",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("province__isnull", True), ("safety_region__isnull", False)),
                    models.Q(("province__isnull", False), ("safety_region__isnull", True)),
                    _connector="OR",
                ),
                name="body_in_a_region_or_a_province",
            ),
        ),
        migrations.AddConstraint(
            model_name="body",
            constraint=models.UniqueConstraint(
                condition=models.Q(("safety_region__isnull", False)),
                fields=("safety_region", "code"),
                name="body_code_unique_per_region",
                violation_error_message=(
                    "Deze veiligheidsregio heeft al een overlegorgaan met deze afkorting."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="body",
            constraint=models.UniqueConstraint(
                condition=models.Q(("province__isnull", False)),
                fields=("province", "code"),
                name="body_code_unique_per_province",
                violation_error_message=(
                    "Deze provincie heeft al een overlegorgaan met deze afkorting."
                ),
            ),
        ),
    ]
