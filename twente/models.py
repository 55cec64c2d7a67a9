"""Models of the composing project package: the record of every nightly run."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """The nightly jobs (twente.scheduled) ran for `date`.

    Written once per date by the first run that completes; a second run for the same date
    reads it (so it repeats the same work) and changes nothing. The next date's run recomputes
    the occupancy from the day after the latest earlier run, which is how days missed while
    beat was down are caught up.
    """

    date = models.DateField("voor datum", unique=True)
    recompute_from = models.DateField("bezetting herberekend vanaf")
    finished_at = models.DateTimeField("klaar", default=timezone.now)
    summary = models.JSONField("resultaat", default=dict, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "nachtelijke run"
        verbose_name_plural = "nachtelijke runs"

    def __str__(self) -> str:
        return f"Nachtelijke taken voor {self.date:%d-%m-%Y}"
