"""A real SMTP server on loopback (aiosmtpd), a settable clock and a small two-region world."""

import datetime
import email
import logging
import socket
from email import policy

import pytest
from django.utils import timezone

from capacity.services import occupancy_recompute
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.factories import MunicipalityFactory, ProvinceFactory, SafetyRegionFactory, UserFactory

SITE = "https://opvang.example.nl"
# Monday of ISO week 3 of 2024.
MONDAY = datetime.date(2024, 1, 15)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Received:
    """One message as the SMTP server got it."""

    def __init__(self, envelope):
        self.mail_from = envelope.mail_from
        self.to = list(envelope.rcpt_tos)
        self.message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        # Django folds a non-ASCII subject onto its own line ("Subject:\n =?utf-8?q?...");
        # mail clients drop that folding white space, and so does this.
        self.subject = str(self.message["subject"]).strip()
        self.text = self.message.get_body(preferencelist=("plain",)).get_content()
        self.html = self.message.get_body(preferencelist=("html",)).get_content()

    def __repr__(self) -> str:
        return f"<Received to={self.to} subject={self.subject!r}>"


class Inbox:
    def __init__(self):
        self.messages: list[Received] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(Received(envelope))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [message for message in self.messages if address in message.to]

    def clear(self) -> None:
        self.messages.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def mail_settings(settings, smtp_port):
    """Django's SMTP backend pointed at the loopback port (a server may or may not listen)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Opvang Twente <noreply@opvang.example.nl>"
    settings.SITE_URL = SITE
    return settings


@pytest.fixture
def smtp(mail_settings, smtp_port):
    """An aiosmtpd server on loopback; `smtp.messages` are the messages it received."""
    from aiosmtpd.controller import Controller

    # aiosmtpd logs every SMTP command at INFO; a failing test shows enough without them.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


class Clock:
    def __init__(self, monkeypatch):
        self.now = at(MONDAY, 10)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        self.now = moment
        return moment


@pytest.fixture
def clock(monkeypatch):
    """Django's `timezone.now` (and so `localdate`) at a moment the test sets: Monday 15
    January 2024, 10:00, unless told otherwise."""
    return Clock(monkeypatch)


@pytest.fixture
def run(clock, django_capture_on_commit_callbacks, eager_celery):
    """Queue what is due at the clock's moment and send it (tasks in-process, as without
    Redis); returns the queued log rows."""
    from twente.notifications.services import notifications_queue

    def queue_and_send(moment: datetime.datetime | None = None):
        if moment is not None:
            clock.set(moment)
        with django_capture_on_commit_callbacks(execute=True):
            return notifications_queue(now=clock.now)

    return queue_and_send


class World:
    """Twente (Enschede, Hengelo, Borne) and IJsselland (Zwolle), a project leader per
    municipality and a coordinator per region, all with e-mail addresses. In the week of
    15 January 2024 Borne reported everything, Enschede one of its two locations, Hengelo
    and Zwolle nothing."""

    def __init__(self):
        province = ProvinceFactory()
        self.twente = SafetyRegionFactory(code="VR05", name="Twente", province=province)
        self.ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland", province=province)
        self.enschede = MunicipalityFactory(
            code="GM0153", name="Enschede", safety_region=self.twente
        )
        self.hengelo = MunicipalityFactory(code="GM0164", name="Hengelo", safety_region=self.twente)
        self.borne = MunicipalityFactory(code="GM0147", name="Borne", safety_region=self.twente)
        self.zwolle = MunicipalityFactory(
            code="GM0193", name="Zwolle", safety_region=self.ijsselland
        )
        self.ens_reported = LocationFactory(
            code="ENS-AZC", name="Azc Enschede", municipality=self.enschede
        )
        self.ens_missing = LocationFactory(
            code="ENS-CNO", name="Crisisnoodopvang Enschede", municipality=self.enschede
        )
        self.hgl_missing = LocationFactory(
            code="HGL-CNO", name="Crisisnoodopvang Hengelo", municipality=self.hengelo
        )
        self.brn = LocationFactory(
            code="BRN-CNO", name="Crisisnoodopvang Borne", municipality=self.borne
        )
        self.zwl_missing = LocationFactory(
            code="ZWL-CNO", name="Crisisnoodopvang Zwolle", municipality=self.zwolle
        )
        # Planned: not asked for counts (the lifecycle rule), so never named as missing.
        self.planned = LocationFactory(
            code="ENS-PLAN",
            name="Geplande opvang Enschede",
            municipality=self.enschede,
            status="planned",
        )
        for location in (self.ens_reported, self.brn):
            CapacityReportFactory(location=location, date=MONDAY, capacity=60, occupied=30)
        # Last week everybody reported: the figures exist, this week's counts are missing.
        for location in (self.ens_missing, self.hgl_missing, self.zwl_missing):
            CapacityReportFactory(
                location=location,
                date=MONDAY - datetime.timedelta(days=7),
                capacity=40,
                occupied=20,
            )
        self.pl_enschede = self.leader("pl-enschede", self.enschede)
        self.pl_hengelo = self.leader("pl-hengelo", self.hengelo)
        self.pl_borne = self.leader("pl-borne", self.borne)
        self.pl_zwolle = self.leader("pl-zwolle", self.zwolle)
        self.coordinator = self.coordinator_of("coord-twente", self.twente)
        self.coordinator_ijsselland = self.coordinator_of("coord-ijsselland", self.ijsselland)

    @staticmethod
    def leader(username, municipality):
        return UserFactory(
            username=username,
            email=f"{username}@example.nl",
            role="project_leader",
            scope__municipality=municipality,
        )

    @staticmethod
    def coordinator_of(username, region):
        return UserFactory(
            username=username,
            email=f"{username}@example.nl",
            role="coordinator",
            scope__region=region,
        )

    def recompute(self) -> None:
        ids = [m.pk for m in (self.enschede, self.hengelo, self.borne, self.zwolle)]
        occupancy_recompute(municipality_ids=ids)


@pytest.fixture
def world(db, clock):
    return World()
