"""Models of the composing project package: the record of every nightly run."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """The nightly jobs (twente.scheduled) ran for `date`.

    Written once per date by the first run that completes; a second run for the same date
    reads it (so it repeats the same work) and changes nothing. The next date's run recomputes
    the occupancy from the day after the latest earlier run, which is how days missed while
    beat was down are caught up.
    """

    date = models.DateField(_("voor datum"), unique=True)
    recompute_from = models.DateField(_("bezetting herberekend vanaf"))
    finished_at = models.DateTimeField(_("klaar"), default=timezone.now)
    summary = models.JSONField(_("resultaat"), default=dict, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("nachtelijke run")
        verbose_name_plural = _("nachtelijke runs")

    def __str__(self) -> str:
        return _("Nachtelijke taken voor %(date)s") % {"date": format(self.date, "%d-%m-%Y")}
