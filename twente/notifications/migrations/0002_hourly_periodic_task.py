"""The notifications as a django-celery-beat PeriodicTask: every hour on the hour it sends
what is due then (reminders at each user's chosen weekday and hour, digests, action
reminders). Created once; a task the application manager changed or deleted stays as it is."""

from django.db import migrations
from django.utils import timezone

NAME = "Meldingen versturen"
TASK = "twente.notifications.tasks.send_due_notifications"
DESCRIPTION = (
    "Elk heel uur (Europe/Amsterdam): verstuurt de herinneringen voor ontbrekende weektellingen, "
    "het wekelijkse overzicht voor coördinatoren en de herinneringen voor acties die op dat "
    "moment aan de beurt zijn. Het logboek zorgt dat niets twee keer gaat; een gemist uur "
    "wordt bij de volgende run ingehaald. Met de hand: manage.py send_notifications "
    "[--dry-run] [--date JJJJ-MM-DD]."
)


def create_hourly_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Amsterdam",
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, description=DESCRIPTION)
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_hourly_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_notification_settings_and_log"),
        ("django_celery_beat", "0016_alter_crontabschedule_timezone"),
    ]

    operations = [migrations.RunPython(create_hourly_task, delete_hourly_task)]
