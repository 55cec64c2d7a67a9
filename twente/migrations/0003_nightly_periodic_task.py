"""The nightly jobs as a django-celery-beat PeriodicTask, so the application manager sees and
can pause them in the admin (Periodieke taken). Created once; a task the manager changed or
deleted is left as it is."""

from django.db import migrations
from django.utils import timezone

NAME = "Nachtelijke taken"
TASK = "twente.tasks.run_scheduled"
DESCRIPTION = (
    "Elke nacht om 00:15 (Europe/Amsterdam): herberekent de bezettingsstanden en de realisatie "
    "van de taakstellingen, sluit vastgestelde taakstellingen waarvan de uiterste datum "
    "verstreken is en zet geplande overleggen van voorbije dagen op 'gehouden'. Zet de taak "
    "uit om haar te pauzeren; na een pauze haalt de eerstvolgende run de gemiste dagen in. "
    "Met de hand: manage.py run_scheduled [--date JJJJ-MM-DD]."
)


def create_nightly_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="0",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Amsterdam",
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, description=DESCRIPTION)
    # A running beat reloads its schedule when this changes (what the app's signals do for
    # saves outside migrations).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_nightly_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("twente", "0002_scheduled_run"),
        ("django_celery_beat", "0016_alter_crontabschedule_timezone"),
    ]

    operations = [migrations.RunPython(create_nightly_task, delete_nightly_task)]
