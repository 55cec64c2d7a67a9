"""The region isolation audit (issue 9): no page or endpoint shows another region's detail.

Two regions of Overijssel hold data of every kind: Twente (VR05), whose data is secret here,
and IJsselland (VR04), where the users of every role work. Every name, note and text of
Twente's data contains the word "Twentegeheim" (the location codes "TWGEHEIM"), and its
figures are numbers that occur nowhere else. So does a meeting of a body of Gelderland's region
VR06 (another province); the provincial reader of Gelderland (VR07) may read neither.

Minutes follow one rule (issue 14, `meetings.readers`): the regional roles read their region's
tables and their province's PRT; a provincial reader reads their province's PRT only, never a
region's TRA or BAO. Every table's meeting has its own texts (TABLES); the walk counts the
texts of the tables a role does not read (READS) as leaks on every url, and a separate test
checks the minutes lists, exports and API show each role exactly its tables and refuse the
others by id.

`test_every_url_is_audited` walks EVERY url pattern of the project (get_resolver, recursively):
a new URL fails it until it is classified in URLS below (or, for the admin, its model in
ADMIN_MODELS). The walk then asks each url as each VR04 user, with path parameters filled with
Twente's objects, and checks that:
- an object of Twente gives 403 or 404 (the admin: its "does not exist" redirect), for every
  method the url has, and no write went through (the database is unchanged);
- no answer (lists, exports as CSV and XLSX, printable pages, JSON, the browsable API's
  forms, admin pages) contains a Twente name, note, text or figure.
The overviews of a province and the country (AGGREGATE) are sums per region by design: they
may show Twente's totals, never its names. Separate tests post forms that aim at Twente's
objects with otherwise valid data (edit a location, the weekly grid, a placement, an
exchange, an import file).
"""

import datetime
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import ExternalIdentity
from accounts.services import sign_in_record
from allocation.models import Assignment, Credit, Exchange, Share
from allocation.services import assignment_adopt, credit_create, exchange_create
from capacity.choices import LocationStatus, TargetGroup
from capacity.models import CapacityReport, Location, OccupancySnapshot, PermitHolderReport
from capacity.services import occupancy_recompute
from imports.models import ImportRun, ImportStatus
from matching.models import Placement, PlacementRequest
from meetings.attachments import attachment_version_add
from meetings.models import (
    AgendaItem,
    Attachment,
    AttachmentVersion,
    Attendance,
    Body,
    Entry,
    EntryKind,
    Meeting,
    MinutesCorrection,
    Portfolio,
    PrivateAnnotation,
    Spearhead,
)
from meetings.readers import OTHER_REGION, REGIONAL_TABLE
from municipalities.models import KeyFigure, Membership, Municipality
from municipalities.roles import may_read_region
from tests.allocation.factories import assignment_with_shares
from tests.capacity.factories import LocationFactory
from tests.factories import (
    KeyFigureFactory,
    MunicipalityFactory,
    ProvinceFactory,
    SafetyRegionFactory,
    UserFactory,
)
from tests.imports.factories import ImportRunFactory
from tests.matching.factories import PlacementFactory, PlacementRequestFactory
from tests.meetings.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    EntryFactory,
    MeetingFactory,
)
from twente.notifications.models import (
    NotificationKind,
    NotificationLog,
    NotificationSettings,
    OccupancyLevel,
)

pytestmark = pytest.mark.django_db

SECRET = "twentegeheim"
CODE = "TWGEHEIM"
# Twente's figures: capacity and occupied of its location, its task's total, and the persons
# housed and linked of its permit-holder housing report. Shown with or without a Dutch
# thousands separator.
FIGURES = (48271, 39157, 44417, 27919, 36683)
TODAY = timezone.localdate()


def figure_markers() -> list[str]:
    markers = []
    for number in FIGURES:
        head, tail = divmod(number, 1000)
        markers += [str(number)] + [f"{head}{sep}{tail:03d}" for sep in (".", ",", " ", "\xa0")]
    return markers


DETAIL_MARKERS = [SECRET, CODE.lower()]
ALL_MARKERS = DETAIL_MARKERS + figure_markers()


@dataclass(frozen=True)
class Table:
    """The texts of one body's meeting: its venue, one action and one decision."""

    venue: str
    action: str
    decision: str

    @property
    def texts(self) -> list[str]:
        return [self.venue, self.action, self.decision]


# One meeting of every kind of body. Twente's and Gelderland's regional tables carry the secret
# word: nobody of the walk reads them.
TABLES = {
    "tra_twente": Table("Twentegeheimzaal", "Actie Twentegeheim", "Besluit Twentegeheim"),
    "bao_twente": Table(
        "BAO-zaal Twentegeheim", "Actie BAO Twentegeheim", "Besluit BAO Twentegeheim"
    ),
    "rt_gelderland": Table(
        "Zaal Twentegeheim Apeldoorn",
        "Actie Twentegeheim in Gelderland",
        "Besluit Twentegeheim in Gelderland",
    ),
    "tra_ijsselland": Table("Zaal IJssellandhuis", "Actie IJsselland", "Besluit IJsselland"),
    "prt_overijssel": Table("Provinciehuis Overijssel", "Actie Overijssel", "Besluit Overijssel"),
    "prt_gelderland": Table(
        "Huis der Provincie Gelderland", "Actie PRT Gelderland", "Besluit PRT Gelderland"
    ),
}
# Whose minutes each user of the walk reads (issue 14): the regional roles their region's
# tables and their province's; a provincial reader their province's PRT only, never a
# region's table (not even of the region their account is registered in).
READS = {
    "coordinator": {"tra_ijsselland", "prt_overijssel"},
    "project_leader": {"tra_ijsselland", "prt_overijssel"},
    "secretary": {"tra_ijsselland", "prt_overijssel"},
    "provincial_reader": {"prt_overijssel"},
    "provincial_reader_gelderland": {"prt_gelderland"},
}


# Private annotations (issue 20) on IJsselland's own TRA: each is read by its owner's accounts
# only (a municipality's project leaders, the VRT's coordinators), never by another
# municipality, the secretary or a provincial reader. Twente's own (Enschede's) carries the
# secret word.
ANNOTATIONS = {
    "zwolle": "Advies Zwollegeheim",
    "vrt_ijsselland": "Advies VRT-eigen",
    "deventer": "Advies Deventer-eigen",
}
ANNOTATION_READS = {
    "coordinator": {"vrt_ijsselland"},
    "project_leader": {"deventer"},
    "secretary": set(),
    "provincial_reader": set(),
    "provincial_reader_gelderland": set(),
}


def annotation_markers(role: str) -> list[str]:
    return [text for key, text in ANNOTATIONS.items() if key not in ANNOTATION_READS[role]]


# Discretion (issue 23, `capacity.discretion`): a location of IJsselland yet to open, in Zwolle,
# is named to IJsselland's coordinators only (and Zwolle's project leaders, not in the walk);
# the other roles of the walk, IJsselland's own included, see it nowhere.
UNDISCLOSED = ("Kazerne Zwolleplan", "zwplan-1", "Zwolleplan-dorp", "52.5123")
NAMES_UNDISCLOSED = {"coordinator"}


def discretion_markers(role: str) -> list[str]:
    return [] if role in NAMES_UNDISCLOSED else list(UNDISCLOSED)


def minutes_markers(role: str) -> list[str]:
    """The texts of the tables `role` does not read: shown nowhere to them."""
    return [text for key, table in TABLES.items() if key not in READS[role] for text in table.texts]


# The world -----------------------------------------------------------------------------------


@dataclass
class World:
    twente: object
    ijsselland: object
    location: Location  # Twente's
    report: CapacityReport  # of Twente's location
    assignment: Assignment  # Twente's
    exchange: Exchange  # Twente's
    request: PlacementRequest  # Twente's
    placement: Placement  # Twente's
    meeting: Meeting  # Twente's TRA
    item: AgendaItem
    action: Entry
    annotation: PrivateAnnotation  # Enschede's, on Twente's item
    attachment: Attachment  # on Twente's item, with a file
    portfolio: Portfolio  # of Twente's TRA, held by Enschede and Hengelo, naming its item
    import_run: ImportRun  # Twente's
    notification: NotificationLog  # a reminder sent to Twente's project leader
    housing_report: PermitHolderReport  # Enschede's permit-holder housing
    twente_user: object  # Twente's coordinator
    tables: dict  # one meeting of every body, by the keys of TABLES
    own: dict = field(default_factory=dict)  # IJsselland's objects of the same kinds
    users: dict = field(default_factory=dict)  # the VR04 users by role (and one elsewhere)
    credit: object = None  # Twente's credited effort


@pytest.fixture
def world(db, eager_celery, settings, tmp_path) -> World:
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    overijssel = ProvinceFactory(code="PV23", name="Overijssel")
    gelderland = ProvinceFactory(code="PV25", name="Gelderland")
    twente = SafetyRegionFactory(code="VR05", name="Twente", province=overijssel)
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland", province=overijssel)
    noord_oost = SafetyRegionFactory(
        code="VR06", name="Noord- en Oost-Gelderland", province=gelderland
    )
    midden = SafetyRegionFactory(code="VR07", name="Gelderland-Midden", province=gelderland)
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente)
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo", safety_region=twente)
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)
    zwolle = MunicipalityFactory(code="GM0193", name="Zwolle", safety_region=ijsselland)
    for municipality, inhabitants in (
        (enschede, 160_640),
        (hengelo, 81_476),
        (deventer, 101_236),
        (zwolle, 130_592),
    ):
        KeyFigureFactory(municipality=municipality, population=inhabitants)

    twente_user = UserFactory(
        username=f"{SECRET}-coord",
        first_name="Petra",
        last_name="Twentegeheim",
        role="coordinator",
        scope__region=twente,
    )
    twente_leader = UserFactory(
        username=f"{SECRET}-pl",
        last_name="Twentegeheimer",
        role="project_leader",
        scope__municipality=enschede,
    )
    Token.objects.create(user=twente_user)

    # Capacity: a location each, with this week's report; Twente's also a flagged one.
    location = LocationFactory(
        code=f"{CODE}-1",
        name="Zonnehuis Twentegeheim",
        municipality=enschede,
        place="Twentegeheim-dorp",
        target_group=TargetGroup.UKRAINE,
        contact_name="Contact Twentegeheim",
    )
    LocationFactory(
        code=f"{CODE}-2",
        name="Hof Twentegeheim",
        municipality=hengelo,
        target_group=TargetGroup.UKRAINE,
    )
    report = CapacityReport.objects.create(
        location=location,
        date=TODAY,
        capacity=FIGURES[0],
        occupied=FIGURES[1],
        reported_by=twente_user,
        source="form",
    )
    CapacityReport.objects.create(
        location=location,
        date=TODAY - datetime.timedelta(days=7),
        capacity=FIGURES[0],
        occupied=FIGURES[1] - 1,
        reported_by=twente_user,
        source="form",
        flagged=True,
        flag_reason="Afwijking Twentegeheim",
    )
    own_location = LocationFactory(
        code="IJ-1",
        name="Opvang Deventer",
        municipality=deventer,
        target_group=TargetGroup.UKRAINE,
    )
    own_report = CapacityReport.objects.create(
        location=own_location, date=TODAY, capacity=60, occupied=50, source="form"
    )
    planned = LocationFactory(
        code="ZWPLAN-1",
        name="Kazerne Zwolleplan",
        place="Zwolleplan-dorp",
        municipality=zwolle,
        target_group=TargetGroup.ASYLUM,
        status=LocationStatus.PREPARING,
        latitude="52.5123",
        longitude="6.0944",
        planned_capacity=150,
    )
    CapacityReport.objects.create(
        location=planned, date=TODAY, capacity=150, occupied=0, source="form"
    )
    occupancy_recompute(municipality_ids=[enschede.pk, hengelo.pk, deventer.pk, zwolle.pk])
    # Permit holders: a housing report each.
    housing_report = PermitHolderReport.objects.create(
        municipality=enschede,
        date=TODAY,
        housed=FIGURES[3],
        linked=FIGURES[4],
        reported_by=twente_user,
    )
    own_housing_report = PermitHolderReport.objects.create(
        municipality=deventer, date=TODAY, housed=12, linked=7
    )

    # Allocation: an adopted task each, with an exchange.
    assignment = assignment_with_shares(
        code=f"{SECRET}-2024",
        title="Taakstelling Twentegeheim",
        target_group=TargetGroup.UKRAINE,
        region=twente,
        total=FIGURES[2],
        deadline=TODAY + datetime.timedelta(days=30),
        notes="Notitie Twentegeheim",
    )
    assignment_adopt(assignment=assignment)
    exchange = exchange_create(
        from_municipality=enschede,
        from_assignment=assignment,
        to_municipality=hengelo,
        places=5,
        reason="Uitruil Twentegeheim",
        date=TODAY,
        user=twente_user,
    )
    credit = credit_create(
        assignment=assignment,
        municipality=enschede,
        places=3,
        reason="Inzet Twentegeheim",
        user=twente_user,
    )
    own_assignment = assignment_with_shares(
        code="ijsselland-2024",
        title="Taakstelling IJsselland",
        target_group=TargetGroup.UKRAINE,
        region=ijsselland,
        total=100,
        deadline=TODAY + datetime.timedelta(days=30),
    )
    own_exchange = exchange_create(
        from_municipality=deventer,
        from_assignment=own_assignment,
        to_municipality=zwolle,
        places=2,
        reason="Uitruil IJsselland",
        date=TODAY,
    )

    # Matching: a request and a placement each.
    request = PlacementRequestFactory(
        region=twente,
        household="Huishouden Twentegeheim",
        origin_note="Familie Twentegeheim",
        preferred_municipality=enschede,
        created_by=twente_user,
    )
    placement = PlacementFactory(
        location=location, request=request, placed_by=twente_user, people=3
    )
    own_request = PlacementRequestFactory(region=ijsselland, origin_note="Familie IJsselland")
    own_placement = PlacementFactory(location=own_location, request=own_request)

    # Meetings: Twente's TRA and BAO, IJsselland's TRA, the PRT of Overijssel (both regions
    # read it, and Overijssel's provincial readers), a body of Gelderland's region VR06 and the
    # PRT of Gelderland (another province; its provincial readers read it). Each table's texts
    # are in TABLES.
    tra = BodyFactory(code="TRA", name="Regietafel Twentegeheim", safety_region=twente)
    meeting = MeetingFactory(
        body=tra,
        date=TODAY - datetime.timedelta(days=20),
        venue=TABLES["tra_twente"].venue,
        chair="Voorzitter Twentegeheim",
    )
    item = AgendaItemFactory(
        meeting=meeting, title="Onderwerp Twentegeheim", notes="Verslag Twentegeheim"
    )
    item.locations.add(location)
    action = ActionFactory(
        item=item,
        text=TABLES["tra_twente"].action,
        owner="Projectleider Twentegeheim",
        owner_user=twente_leader,
        due_date=TODAY - datetime.timedelta(days=1),
    )
    EntryFactory(
        item=item,
        kind=EntryKind.DECISION,
        text=TABLES["tra_twente"].decision,
        assignment=assignment,
    )
    AttendanceFactory(meeting=meeting, organisation="VR Twente", person="Jan Twentegeheim")
    tables = {"tra_twente": meeting}
    overdue = TODAY - datetime.timedelta(days=1)
    for key, body, days_ago in (
        ("bao_twente", BodyFactory(code="BAO", name="BAO Twentegeheim", safety_region=twente), 30),
        ("rt_gelderland", BodyFactory(code="RT", name="Regietafel", safety_region=noord_oost), 15),
        (
            "tra_ijsselland",
            BodyFactory(code="TRA", name="Regietafel IJsselland", safety_region=ijsselland),
            10,
        ),
        (
            "prt_overijssel",
            BodyFactory(code="PRT", name="PRT Overijssel", safety_region=None, province=overijssel),
            5,
        ),
        (
            "prt_gelderland",
            BodyFactory(code="PRT", name="PRT Gelderland", safety_region=None, province=gelderland),
            4,
        ),
    ):
        table = TABLES[key]
        tables[key] = MeetingFactory(
            body=body, date=TODAY - datetime.timedelta(days=days_ago), venue=table.venue
        )
        table_item = AgendaItemFactory(meeting=tables[key], title=f"Onderwerp {table.action}")
        # The actions of the tables IJsselland's people read have no due date (the dashboard
        # test counts on it); the others are overdue, so `?overdue=true` would show them.
        ActionFactory(
            item=table_item,
            text=table.action,
            due_date=None if key in READS["coordinator"] else overdue,
        )
        EntryFactory(item=table_item, kind=EntryKind.DECISION, text=table.decision)
    own_meeting = tables["tra_ijsselland"]
    own_item = own_meeting.agenda_items.get()
    own_action = own_item.entries.get(kind=EntryKind.ACTION)
    own_item.locations.add(own_location, planned)
    attachment = Attachment.objects.create(item=item, number=1, label="Bijlage Twentegeheim")
    attachment_version_add(
        attachment=attachment,
        upload=SimpleUploadedFile("twentegeheim.pdf", b"%PDF-1.4 Twentegeheim\n%%EOF\n"),
    )
    # A portfolio of Twente's TRA (issue 20), with a spearhead; its item and action name it.
    portfolio = Portfolio.objects.create(body=tra, theme="overig", title="Wonen Twentegeheim")
    portfolio.holders.set([enschede, hengelo])
    Spearhead.objects.create(portfolio=portfolio, goal="Speerpunt Twentegeheim")
    item.portfolio = portfolio
    item.save()
    action.portfolio = portfolio
    action.save()
    # Private annotations: Enschede's on Twente's item; Zwolle's, the VRT IJsselland's and
    # Deventer's on IJsselland's own item.
    annotation = PrivateAnnotation.objects.create(
        item=item, municipality=enschede, advice="agree", text="Advies Twentegeheim"
    )
    own_annotations = {
        "zwolle": PrivateAnnotation.objects.create(
            item=own_item, municipality=zwolle, advice="disagree", text=ANNOTATIONS["zwolle"]
        ),
        "vrt_ijsselland": PrivateAnnotation.objects.create(
            item=own_item,
            safety_region=ijsselland,
            advice="note",
            text=ANNOTATIONS["vrt_ijsselland"],
        ),
        "deventer": PrivateAnnotation.objects.create(
            item=own_item, municipality=deventer, advice="discuss", text=ANNOTATIONS["deventer"]
        ),
    }

    # Imports: a run each.
    import_run = ImportRunFactory(
        file_name=f"{SECRET}.csv",
        user=twente_user,
        safety_region=twente,
        preview={"created": [{"row": 2, "code": f"{CODE}-9", "name": "Twentegeheim"}]},
    )
    own_run = ImportRunFactory(file_name="ijsselland.csv", user=None, safety_region=ijsselland)

    # Notifications: a reminder sent to Twente's project leader (the completeness page shows
    # it), the coordinator's choices and the occupancy level the alerts saw.
    notification = NotificationLog.objects.create(
        recipient=twente_leader,
        kind=NotificationKind.REPORT_REMINDER,
        period=f"{timezone.localdate().isocalendar()[0]}-W"
        f"{timezone.localdate().isocalendar()[1]:02d}-1",
        status="sent",
        email=f"{SECRET}@example.nl",
        subject=f"Herinnering: weektelling {SECRET}",
        municipality=enschede,
        safety_region=twente,
        details={"locations": [f"{CODE}-1"]},
        sent_at=timezone.now(),
    )
    NotificationSettings.objects.create(user=twente_user)
    OccupancyLevel.objects.get_or_create(
        safety_region=twente, target_group=TargetGroup.ASYLUM, defaults={"level": "ok"}
    )

    users = {
        "coordinator": UserFactory(
            username="ij-coord", role="coordinator", scope__region=ijsselland, is_staff=True
        ),
        "project_leader": UserFactory(
            username="ij-pl", role="project_leader", scope__municipality=deventer
        ),
        "secretary": UserFactory(
            username="ij-secr", role="secretary", scope__region=ijsselland, is_staff=True
        ),
        "provincial_reader": UserFactory(
            username="ij-prov", role="provincial_reader", scope__region=ijsselland
        ),
        # A provincial reader of another province: Twente is none of their business at all.
        "provincial_reader_gelderland": UserFactory(
            username="gld-prov", role="provincial_reader", scope__region=midden
        ),
    }
    return World(
        twente=twente,
        ijsselland=ijsselland,
        location=location,
        report=report,
        assignment=assignment,
        exchange=exchange,
        request=request,
        placement=placement,
        meeting=meeting,
        item=item,
        action=action,
        annotation=annotation,
        attachment=attachment,
        portfolio=portfolio,
        import_run=import_run,
        notification=notification,
        housing_report=housing_report,
        twente_user=twente_user,
        tables=tables,
        own={
            "location": own_location,
            "report": own_report,
            "assignment": own_assignment,
            "exchange": own_exchange,
            "request": own_request,
            "placement": own_placement,
            "meeting": own_meeting,
            "item": own_item,
            "action": own_action,
            "annotations": own_annotations,
            "import_run": own_run,
            "housing_report": own_housing_report,
            "deventer": deventer,
        },
        users=users,
        credit=credit,
    )


# Reading an answer ---------------------------------------------------------------------------


def text_of(response) -> str:
    """Everything a person or program gets to see: HTML, JSON, CSV, or the XML inside XLSX."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def leaks(response, url: str, markers: list[str]) -> list[str]:
    """The markers in the answer. The url asked for is left out (pages echo their own path
    in the language switch), and so are CSRF tokens (random characters)."""
    text = CSRF.sub("", text_of(response))
    path, _, query = url.partition("?")
    echoes = [url, url.replace("&", "&amp;"), quote(url, safe="/?=&"), path]
    # A filter form shows the values it was asked for, the browsable API the path's parts
    # (breadcrumbs). An object url must answer 403/404 anyway, so this hides no object.
    echoes += [value for _, value in parse_qsl(query) if len(value) > 3]
    echoes += [part for part in path.split("/") if len(part) > 3]
    for echoed in echoes:
        text = text.replace(echoed, "")
    text = text.lower()
    return [marker for marker in markers if marker.lower() in text]


def snapshot(*, leave_out=()) -> dict:
    """Every row of the models that hold a region's data (and the accounts), to prove a
    refused write changed nothing."""
    from django.contrib.auth import get_user_model

    models = [
        Location,
        CapacityReport,
        PermitHolderReport,
        OccupancySnapshot,
        Assignment,
        Share,
        Exchange,
        Credit,
        PlacementRequest,
        Placement,
        Body,
        Meeting,
        AgendaItem,
        Entry,
        Attendance,
        Attachment,
        AttachmentVersion,
        MinutesCorrection,
        Portfolio,
        Spearhead,
        PrivateAnnotation,
        ImportRun,
        Municipality,
        KeyFigure,
        Membership,
        get_user_model(),
    ]
    result = {}
    for model in models:
        if model in leave_out:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
        result[model.__name__] = sorted(
            tuple(str(value) for value in row) for row in model.objects.values_list(*names)
        )
    return result


# The url patterns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Url:
    """How the audit asks for one url pattern.

    kind: "public" (no scope needed: login, health, docs; `why` says so), "list" (scoped to
    the user's region: no Twente detail or figures), "aggregate" (sums per region by design:
    no Twente detail), "object" (path parameters are Twente's: 403/404 for every method),
    "reference" (national CBS reference data, readable by every role).
    """

    kind: str
    kwargs: object = None  # world -> kwargs for reverse()
    methods: tuple[str, ...] = ("get",)
    queries: tuple[str, ...] = ()  # extra query strings asked as well
    why: str = ""


def _kw(**fields):
    return lambda w: {name: value(w) for name, value in fields.items()}


PAGE = ("get", "post")
API_OBJECT = ("get", "post", "put", "patch", "delete")
EXPORTS = ("format=csv", "format=xlsx")

URLS: dict[str, Url] = {
    # --- public: no region detail behind them ---
    "health/": Url("public", why="status of the database and the broker only"),
    "accounts/login/": Url("public", why="the login form"),
    "accounts/logout/": Url("public", methods=(), why="ends the session; shows nothing"),
    "i18n/setlang/": Url("public", why="sets the language"),
    "accounts/tweestapsverificatie/": Url("public", why="the own second factor only"),
    "accounts/tweestapsverificatie/instellen/": Url("public", why="the own second factor only"),
    "accounts/tweestapsverificatie/herstelcodes/": Url("public", why="the own recovery codes only"),
    "accounts/geen-rol/": Url("public", why="a fixed text: the account has no role"),
    "accounts/oidc/authenticate/": Url("public", why="off to the identity provider (404: off)"),
    "accounts/oidc/callback/": Url("public", why="back from the identity provider"),
    "api/schema/": Url("public", why="the OpenAPI document: structure, no data"),
    "api/docs/": Url("public", why="Swagger UI around the schema"),
    "api/v1/openapi.json": Url("public", why="the OpenAPI document: structure, no data"),
    "api/v1/openapi.yaml": Url("public", why="the OpenAPI document as YAML"),
    # --- the dashboard and the overviews ---
    "": Url("list", queries=("region=VR05",)),
    "dashboard/print/": Url("list", queries=("region=VR05",)),
    "dashboard/map/": Url("list", queries=("region=VR05", "date=2024-01-01")),
    "dashboard/export/": Url(
        "list",
        queries=(
            "table=target_groups&format=csv",
            "table=municipalities&format=csv",
            "table=municipalities&format=xlsx",
            "table=municipalities&format=csv&region=VR05",
        ),
    ),
    "dashboard/province/": Url("aggregate", queries=("province=PV23",)),
    "dashboard/national/": Url("aggregate"),
    "api/v1/overview": Url("list", queries=("region=VR05",)),
    "api/v1/overview/province": Url("aggregate", queries=("province=PV23",)),
    "api/v1/overview/national": Url("aggregate"),
    "municipalities/": Url("list"),
    # --- capacity ---
    "locations/": Url("list", queries=("municipality=GM0153", f"search={CODE}")),
    "locations/new/": Url("list", methods=PAGE),
    "locations/<str:code>/": Url("object", _kw(code=lambda w: w.location.code), PAGE),
    "locations/<str:code>/edit/": Url("object", _kw(code=lambda w: w.location.code), PAGE),
    "counts/": Url("list", queries=("municipality=GM0153",)),
    "counts/status/": Url("list"),
    "counts/reports/<int:pk>/checked/": Url("object", _kw(pk=lambda w: w.report.pk), PAGE),
    "thresholds/": Url("list", why="national warning levels per target group, no region data"),
    "national-figures/": Url(
        "reference", methods=PAGE, why="national figures per target group, no region data"
    ),
    "api/v1/^national-figures$": Url("reference", methods=("get", "post")),
    "api/v1/^national-figures/(?P<pk>[0-9]+)$": Url(
        "reference", kwargs=lambda w: {"pk": 1}, methods=API_OBJECT
    ),
    "permit-holders/": Url("list", methods=PAGE, queries=("municipality=GM0153",)),
    "api/v1/^permit-holder-reports$": Url("list", queries=("municipality=GM0153",)),
    "api/v1/^permit-holder-reports/(?P<pk>[0-9]+)$": Url(
        "object", _kw(pk=lambda w: w.housing_report.pk), API_OBJECT
    ),
    "api/v1/capacity-outlook": Url("list", queries=("region=VR05",)),
    "api/v1/^locations$": Url("list", queries=("municipality=GM0153", f"search={CODE}")),
    "api/v1/^locations/(?P<code>[A-Za-z0-9][A-Za-z0-9._-]*)$": Url(
        "object", _kw(code=lambda w: w.location.code), API_OBJECT
    ),
    "api/v1/^capacity-reports$": Url("list", queries=(f"location={CODE}-1", "municipality=GM0153")),
    "api/v1/^capacity-reports/(?P<pk>[0-9]+)$": Url(
        "object", _kw(pk=lambda w: w.report.pk), API_OBJECT
    ),
    # --- meetings ---
    "meetings/": Url("list", queries=("body=TRA", "body=RT")),
    "meetings/<int:pk>/": Url("object", _kw(pk=lambda w: w.meeting.pk), PAGE),
    "meetings/<int:pk>/list/": Url("object", _kw(pk=lambda w: w.meeting.pk), PAGE, queries=EXPORTS),
    "actions/": Url("list", queries=(*EXPORTS, "status=", "overdue=true", "body=TRA")),
    "meetings/portefeuilles/": Url("list"),
    "meetings/portefeuilles/<int:pk>/": Url("object", _kw(pk=lambda w: w.portfolio.pk), PAGE),
    "api/v1/^portfolios$": Url("list", queries=("ordering=theme",)),
    "api/v1/^portfolios/(?P<pk>[^/.]+)$": Url(
        "object", _kw(pk=lambda w: w.portfolio.pk), API_OBJECT
    ),
    "meetings/bijlagen/<int:pk>/": Url("object", _kw(pk=lambda w: w.attachment.pk), PAGE),
    "meetings/bijlagen/<int:pk>/versies/<int:version>/": Url(
        "object", _kw(pk=lambda w: w.attachment.pk, version=lambda w: 1), PAGE
    ),
    "meetings/<int:pk>/annotaties/": Url("object", _kw(pk=lambda w: w.meeting.pk), PAGE),
    "meetings/<int:pk>/annotaties/afdrukken/": Url("object", _kw(pk=lambda w: w.meeting.pk), PAGE),
    "meetings/punten/<int:pk>/annotatie/": Url("object", _kw(pk=lambda w: w.item.pk), PAGE),
    "api/v1/^annotations$": Url("list", queries=("advice=agree", "advice=disagree")),
    "api/v1/^annotations/(?P<pk>[^/.]+)$": Url(
        "object", _kw(pk=lambda w: w.annotation.pk), API_OBJECT
    ),
    "api/v1/^meetings$": Url("list", queries=("body=TRA",)),
    "api/v1/^meetings/(?P<pk>[^/.]+)$": Url("object", _kw(pk=lambda w: w.meeting.pk), API_OBJECT),
    "api/v1/^actions$": Url("list", queries=("status=open&overdue=true", "body=TRA")),
    "api/v1/^actions/(?P<pk>[^/.]+)$": Url("object", _kw(pk=lambda w: w.action.pk), API_OBJECT),
    # --- allocation ---
    "allocations/": Url("list"),
    "allocations/new/": Url("list"),
    "allocations/exchanges/": Url("list", queries=("municipality=GM0153",)),
    "allocations/exchanges/<int:pk>/withdraw/": Url(
        "object", _kw(pk=lambda w: w.exchange.pk), PAGE
    ),
    "allocations/<slug:code>/": Url("object", _kw(code=lambda w: w.assignment.code), PAGE),
    "allocations/<slug:code>/agree/": Url("object", _kw(code=lambda w: w.assignment.code), PAGE),
    "allocations/<slug:code>/adopt/": Url("object", _kw(code=lambda w: w.assignment.code), PAGE),
    "allocations/<slug:code>/exchanges/new/": Url(
        "object", _kw(code=lambda w: w.assignment.code), PAGE
    ),
    "allocations/<slug:code>/credits/new/": Url(
        "object", _kw(code=lambda w: w.assignment.code), PAGE
    ),
    "allocations/credits/<int:pk>/remove/": Url("object", _kw(pk=lambda w: w.credit.pk), PAGE),
    "api/v1/allocations/preview": Url("list"),
    "api/v1/^assignments$": Url("list", queries=("region=VR05",)),
    "api/v1/^assignments/(?P<code>[^/.]+)$": Url(
        "object", _kw(code=lambda w: w.assignment.code), API_OBJECT
    ),
    "api/v1/^assignments/(?P<code>[^/.]+)/adopt$": Url(
        "object", _kw(code=lambda w: w.assignment.code), API_OBJECT
    ),
    "api/v1/^assignments/(?P<code>[^/.]+)/agree$": Url(
        "object", _kw(code=lambda w: w.assignment.code), API_OBJECT
    ),
    "api/v1/^assignments/(?P<code>[^/.]+)/share-status$": Url(
        "object", _kw(code=lambda w: w.assignment.code), API_OBJECT
    ),
    "api/v1/^exchanges$": Url("list", queries=("municipality=GM0153", "region=VR05")),
    "api/v1/^credits$": Url("list"),
    "api/v1/^credits/(?P<pk>[^/.]+)$": Url("object", _kw(pk=lambda w: w.credit.pk), API_OBJECT),
    "api/v1/^exchanges/(?P<pk>[^/.]+)$": Url("object", _kw(pk=lambda w: w.exchange.pk), API_OBJECT),
    "api/v1/^exchanges/(?P<pk>[^/.]+)/withdraw$": Url(
        "object", _kw(pk=lambda w: w.exchange.pk), API_OBJECT
    ),
    # --- matching ---
    "matching/": Url("list"),
    "matching/requests/<int:pk>/": Url("object", _kw(pk=lambda w: w.request.pk), PAGE),
    "matching/requests/<int:pk>/place/": Url("object", _kw(pk=lambda w: w.request.pk), PAGE),
    "matching/placements/": Url("list", queries=("municipality=GM0153", f"location={CODE}-1")),
    "matching/placements/<int:pk>/end/": Url("object", _kw(pk=lambda w: w.placement.pk), PAGE),
    "api/v1/matches": Url(
        "list",
        queries=(
            "target_group=ukraine&people=1",
            "target_group=ukraine&people=1&municipality=GM0153",
        ),
    ),
    "api/v1/^placements$": Url("list", queries=(f"location={CODE}-1",)),
    "api/v1/^placements/(?P<pk>[0-9]+)$": Url(
        "object", _kw(pk=lambda w: w.placement.pk), API_OBJECT
    ),
    "api/v1/^placements/(?P<pk>[0-9]+)/cancel$": Url(
        "object", _kw(pk=lambda w: w.placement.pk), API_OBJECT
    ),
    "api/v1/^placements/(?P<pk>[0-9]+)/depart$": Url(
        "object", _kw(pk=lambda w: w.placement.pk), API_OBJECT
    ),
    # --- municipalities: national CBS reference data, readable by every role ---
    "api/v1/^municipalities$": Url("reference", queries=("region=VR05",)),
    "api/v1/^municipalities/(?P<code>[^/.]+)$": Url(
        "reference", kwargs=lambda w: {"code": "GM0153"}
    ),
    # --- imports ---
    "imports/": Url("list"),
    "imports/<int:pk>/": Url("object", _kw(pk=lambda w: w.import_run.pk), PAGE),
    "imports/<int:pk>/bevestigen/": Url("object", _kw(pk=lambda w: w.import_run.pk), PAGE),
    "imports/<int:pk>/status/": Url("object", _kw(pk=lambda w: w.import_run.pk), PAGE),
    # --- notifications: the user's own choices ---
    "notifications/": Url("list", methods=PAGE),
}

# Admin model pages are found through the models registered with the admin site: each model
# names Twente's object to put in its change, history and delete urls (None: the model holds
# no region data, e.g. a province; its first row is used).
ADMIN_MODELS = {
    "auth.group": None,
    "auth.user": lambda w: w.twente_user.pk,
    "authtoken.tokenproxy": lambda w: w.twente_user.auth_token.key,
    "axes.accessattempt": None,
    "axes.accesslog": None,
    "axes.accessfailurelog": None,
    "municipalities.province": None,
    "municipalities.safetyregion": lambda w: w.twente.pk,
    "municipalities.municipality": lambda w: w.location.municipality_id,
    "municipalities.keyfigure": lambda w: w.location.municipality.key_figures.first().pk,
    "municipalities.membership": lambda w: w.twente_user.membership.pk,
    "capacity.location": lambda w: w.location.pk,
    "capacity.capacityreport": lambda w: w.report.pk,
    "capacity.permitholderreport": lambda w: w.housing_report.pk,
    "capacity.occupancythreshold": None,
    "capacity.nationalfigure": None,
    "capacity.occupancysnapshot": lambda w: (
        OccupancySnapshot.objects.filter(municipality=w.location.municipality).first().pk
    ),
    "allocation.assignment": lambda w: w.assignment.pk,
    "allocation.exchange": lambda w: w.exchange.pk,
    "meetings.body": lambda w: w.meeting.body_id,
    "meetings.meeting": lambda w: w.meeting.pk,
    "meetings.agendaitem": lambda w: w.item.pk,
    "meetings.entry": lambda w: w.action.pk,
    "meetings.portfolio": lambda w: w.portfolio.pk,
    "matching.placementrequest": lambda w: w.request.pk,
    "matching.placement": lambda w: w.placement.pk,
    "imports.importrun": lambda w: w.import_run.pk,
    # The nightly jobs' schedule and their record: no region data (application manager only).
    "twente.scheduledrun": None,
    "django_celery_beat.periodictask": None,
    "django_celery_beat.intervalschedule": None,
    "django_celery_beat.crontabschedule": None,
    "django_celery_beat.clockedschedule": None,
    "django_celery_beat.solarschedule": None,
    # The sign-in audit and the provider identities name people: the walk asks for Twente's.
    "accounts.signinevent": lambda w: sign_in_record(kind="login", user=w.twente_user).pk,
    "accounts.externalidentity": lambda w: (
        ExternalIdentity.objects.get_or_create(
            user=w.twente_user, defaults={"issuer": "https://idp.example", "subject": SECRET}
        )[0].pk
    ),
    "notifications.notificationlog": lambda w: w.notification.pk,
    "notifications.notificationsettings": lambda w: w.twente_user.notification_settings.pk,
    "notifications.occupancylevel": lambda w: (
        OccupancyLevel.objects.get(safety_region=w.twente, target_group=TargetGroup.ASYLUM).pk
    ),
}
# Admin urls that are not about one model.
ADMIN_SITE = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
}
ADMIN_VIEWS = re.compile(
    r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(?P<view>changelist|add|change|history|delete|"
    r"import|process_import|export|simple_history|password_change)$"
)


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name, pattern) of every url of the project, nested includes resolved."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


def is_admin(route: str) -> bool:
    return route.startswith("admin/")


def test_every_url_is_audited():
    """A url the audit does not know fails here: classify it in URLS (or its admin model in
    ADMIN_MODELS) and say how it is scoped."""
    unknown = []
    for route, name, _pattern in url_patterns():
        if is_admin(route):
            match = ADMIN_VIEWS.match(name or "")
            if name in ADMIN_SITE or name is None:
                continue
            if match is None or f"{match['app']}.{match['model']}" not in ADMIN_MODELS:
                unknown.append(f"{route} ({name})")
        elif route not in URLS:
            unknown.append(f"{route} ({name})")
    registered = {model._meta.label_lower for model in admin.site._registry}
    unknown += [f"admin model {label}" for label in registered - set(ADMIN_MODELS)]
    assert not unknown, "URLs without a region audit:\n" + "\n".join(unknown)
    assert not set(URLS) - {route for route, _, _ in url_patterns()}, "stale entries in URLS"


# The walk ------------------------------------------------------------------------------------


class Audit:
    def __init__(self, world: World, role: str):
        self.world = world
        self.user = world.users[role]
        self.client = Client()
        self.client.force_login(self.user)
        self.problems: list[str] = []
        self.statuses: dict[int, int] = {}  # how often each status was answered
        # The minutes of the tables this user does not read, whichever region they are of,
        # and the private annotations of other owners.
        self.minutes_markers = (
            minutes_markers(role) + annotation_markers(role) + discretion_markers(role)
        )

    def ask(
        self, method: str, url: str, *, data=None, markers=ALL_MARKERS, expect=None, html=False
    ):
        if method == "get":
            # `html`: the browsable API (with DEBUG), whose forms list related objects.
            response = self.client.get(url, HTTP_ACCEPT="text/html" if html else "*/*")
        elif url.startswith("/api/"):
            response = getattr(self.client, method)(
                url, data=json.dumps(data or {}), content_type="application/json"
            )
        else:
            response = getattr(self.client, method)(url, data or {})
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if expect is not None and response.status_code not in expect:
            self.problems.append(
                f"{method.upper()} {url}: {response.status_code}, expected one of {expect}"
            )
        found = leaks(response, url, [*markers, *self.minutes_markers])
        if found:
            self.problems.append(f"{method.upper()} {url}: {response.status_code} shows {found}")
        return response

    def walk_app_urls(self) -> None:
        # Provincial readers read every region of their province (the lead's rule,
        # municipalities.roles.may_read_region): `?region=VR05` is theirs to ask.
        own_province_reader = may_read_region(self.user, self.world.twente)
        for route, name, _pattern in url_patterns():
            if is_admin(route):
                continue
            spec = URLS[route]
            kwargs = spec.kwargs(self.world) if spec.kwargs else {}
            url = reverse(name, kwargs=kwargs)
            markers = DETAIL_MARKERS if spec.kind == "aggregate" else ALL_MARKERS
            expect = (403, 404, 405) if spec.kind == "object" else None
            for method in spec.methods:
                self.ask(method, url, markers=markers, expect=expect)
            if url.startswith("/api/v1/") and spec.kind != "public":
                self.ask("get", url, markers=markers, expect=expect, html=True)
            for query in spec.queries:
                if "region=VR05" in query and own_province_reader:
                    continue
                self.ask("get", f"{url}?{query}", markers=markers)

    def walk_admin(self) -> None:
        world = self.world
        for route, name, _pattern in url_patterns():
            if not is_admin(route) or name in ("admin:logout",):
                continue
            if name is None:
                # The admin's redirects and its catch-all: an object id or any path.
                url = "/" + route.replace("<path:object_id>", str(world.meeting.pk))
                url = re.sub(r"\(\?P<url>\.\*\)\$$", "nothing-here/", url)
                self.ask("get", url, expect=(301, 302, 403, 404))
                continue
            if name in ADMIN_SITE:
                for url in self.admin_site_urls(name):
                    self.ask("get", url)
                continue
            match = ADMIN_VIEWS.match(name)
            label = f"{match['app']}.{match['model']}"
            model = apps.get_model(label)
            view = match["view"]
            object_id = ADMIN_MODELS[label]
            pk = object_id(world) if object_id else getattr(model.objects.first(), "pk", 1)
            if view in ("changelist", "add", "import", "export", "process_import"):
                url = reverse(name)
                self.ask("get", url, expect=(200, 302, 403, 405))
                if view == "changelist":
                    # A bulk action on Twente's row: the selection is taken from the scoped
                    # list, so nothing happens to it.
                    self.ask(
                        "post",
                        url,
                        data={"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
                        expect=(200, 302, 403),
                    )
                continue
            if view == "simple_history":
                history = model.history.filter(pk=pk).first() if object_id else None
                url = reverse(name, args=[pk, getattr(history, "history_id", 1)])
            elif view == "password_change":
                url = reverse(name, kwargs={"id": pk})
            else:
                url = reverse(name, kwargs={"object_id": pk})
            expect = (302, 403, 404) if object_id else (200, 302, 403, 404)
            self.ask("get", url, expect=expect)
            if view in ("change", "delete"):
                self.ask("post", url, data={"post": "yes"}, expect=expect)

    def walk_own_admin_pages(self) -> None:
        """The change pages of IJsselland's own minutes: their selects and lists may offer
        nothing of Twente (people, locations, assignments, meetings)."""
        own = self.world.own
        for name, obj in (
            ("admin:meetings_body_change", own["meeting"].body),
            ("admin:meetings_meeting_change", own["meeting"]),
            ("admin:meetings_agendaitem_change", own["item"]),
            ("admin:meetings_entry_change", own["action"]),
        ):
            self.ask("get", reverse(name, args=[obj.pk]), expect=(200, 403))

    def admin_site_urls(self, name: str) -> list[str]:
        world = self.world
        if name == "admin:view_on_site":
            content_type = ContentType.objects.get_for_model(Location)
            return [reverse(name, args=[content_type.pk, world.location.pk])]
        if name == "admin:app_list":
            labels = {model._meta.app_label for model in admin.site._registry}
            return [reverse(name, kwargs={"app_label": label}) for label in sorted(labels)]
        if name == "admin:autocomplete":
            base = reverse(name)
            probes = [
                ("meetings", "entry", "item"),
                ("meetings", "agendaitem", "meeting"),
                ("meetings", "meeting", "body"),
                ("meetings", "agendaitem", "locations"),
                ("meetings", "entry", "owner_user"),
                ("meetings", "entry", "assignment"),
                ("meetings", "entry", "portfolio"),
                ("meetings", "agendaitem", "portfolio"),
                ("meetings", "portfolio", "holders"),
                ("capacity", "location", "municipality"),
            ]
            return [
                f"{base}?"
                + urlencode({"app_label": a, "model_name": m, "field_name": f, "term": ""})
                for a, m, f in probes
            ]
        return [reverse(name)]


ROLES = ["coordinator", "project_leader", "secretary", "provincial_reader"]


@pytest.mark.parametrize("role", [*ROLES, "provincial_reader_gelderland"])
def test_no_url_shows_or_changes_another_regions_data(world, role):
    before = snapshot()
    audit = Audit(world, role)
    audit.walk_app_urls()
    if audit.user.is_staff:
        audit.walk_admin()
        audit.walk_own_admin_pages()
    else:
        response = audit.client.get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # The walk read pages for real: each role has dozens it may open.
    assert audit.statuses.get(200, 0) >= 40, audit.statuses
    assert not audit.problems, f"{role}:\n" + "\n".join(audit.problems)
    assert snapshot() == before


# Minutes: one rule on pages, exports and API (issue 14) ----------------------------------------

MINUTES_LISTS = (
    "/meetings/",
    "/actions/?status=",
    "/actions/?status=&format=csv",
    "/actions/?status=&format=xlsx",
    "/api/v1/meetings",
    "/api/v1/actions?status=",
)
# The full minutes page is for coordinators and secretaries (names, running text); the other
# roles read a meeting through its decision and action list.
FULL_MINUTES = {"coordinator", "secretary"}


def minutes_urls(world: World, key: str) -> list[tuple[str, str]]:
    """(method, url) of everything that shows one table's meeting by its id."""
    meeting = world.tables[key]
    action = meeting.agenda_items.get().entries.get(kind=EntryKind.ACTION)
    entries = reverse("meetings:entries", args=[meeting.pk])
    return [
        ("get", entries),
        ("get", f"{entries}?format=csv"),
        ("get", f"{entries}?format=xlsx"),
        ("post", entries),
        ("get", f"/api/v1/meetings/{meeting.pk}"),
        ("get", f"/api/v1/actions/{action.pk}"),
        *[(method, f"/api/v1/meetings/{meeting.pk}") for method in API_OBJECT[1:]],
        *[(method, f"/api/v1/actions/{action.pk}") for method in API_OBJECT[1:]],
    ]


@pytest.mark.parametrize("role", list(READS))
def test_each_role_reads_the_minutes_of_its_own_tables_only(world, role):
    """Lists, exports and API show the meetings, decisions and actions of the tables in
    READS[role] and leave the others out; the others by id give 403 on pages and API alike
    (writes: 405, the API is read-only)."""
    audit = Audit(world, role)
    reads = READS[role]
    for url in MINUTES_LISTS:
        response = audit.ask("get", url, expect=(200,))
        text = text_of(response)
        shown = "venue" if url.endswith(("meetings/", "meetings")) else "action"
        for key in reads:
            if getattr(TABLES[key], shown) not in text:
                audit.problems.append(f"GET {url}: {key}'s {shown} is missing")
    for key in TABLES:
        readable = key in reads
        for method, url in minutes_urls(world, key):
            if not readable:
                read_only_api = url.startswith("/api/") and method != "get"
                audit.ask(method, url, expect=(403, 405) if read_only_api else (403,))
            elif method == "get":
                response = audit.ask(method, url, expect=(200,))
                wanted = TABLES[key].texts[1:] if "/actions/" not in url else [TABLES[key].action]
                missing = [text for text in wanted if text not in text_of(response)]
                if missing:
                    audit.problems.append(f"GET {url}: {missing} missing")
        detail = reverse("meetings:detail", args=[world.tables[key].pk])
        full = readable and role in FULL_MINUTES
        audit.ask("get", detail, expect=(200,) if full else (403,))
    assert not audit.problems, f"{role}:\n" + "\n".join(audit.problems)


@pytest.mark.parametrize("role", list(READS))
def test_private_annotations_are_read_by_their_owner_only(world, role):
    """On a table every VR04 role reads, each annotation shows to its owner's accounts only:
    on the annotated agenda, its print view, the form and the API; another's by id is 404
    (as if it did not exist), and the secretary and provincial readers get 403 throughout."""
    before = snapshot()
    audit = Audit(world, role)
    reads = ANNOTATION_READS[role]
    author = bool(reads)
    meeting, item = world.own["meeting"], world.own["item"]
    pages = [
        reverse("meetings:annotations", args=[meeting.pk]),
        reverse("meetings:annotations_print", args=[meeting.pk]),
        reverse("meetings:annotation_edit", args=[item.pk]),
        reverse("annotation-list"),
    ]
    for url in pages:
        response = audit.ask("get", url, expect=(200,) if author else (403,))
        missing = [ANNOTATIONS[key] for key in reads if ANNOTATIONS[key] not in text_of(response)]
        if missing:
            audit.problems.append(f"GET {url}: {missing} missing")
    for key, annotation in world.own["annotations"].items():
        url = reverse("annotation-detail", args=[annotation.pk])
        if key in reads:
            audit.ask("get", url, expect=(200,))
            continue
        for method in API_OBJECT:
            audit.ask(method, url, expect=(404, 405) if author else (403,))
    assert not audit.problems, f"{role}:\n" + "\n".join(audit.problems)
    assert snapshot() == before


def test_a_provincial_reader_is_told_why_a_regional_table_is_refused(world):
    client = api_as(world.users["provincial_reader"])
    response = client.get(f"/api/v1/meetings/{world.own['meeting'].pk}")
    assert response.status_code == 403
    assert response.json()["detail"] == REGIONAL_TABLE
    other = client.get(f"/api/v1/meetings/{world.tables['prt_gelderland'].pk}")
    assert other.status_code == 403
    assert other.json()["detail"] == OTHER_REGION


# The audit sees what it should: IJsselland's own data -----------------------------------------


@pytest.mark.parametrize(
    ("role", "url", "own"),
    [
        ("coordinator", "/locations/", "Opvang Deventer"),
        ("coordinator", "/locations/", "Kazerne Zwolleplan"),
        ("coordinator", "/dashboard/map/", "ZWPLAN-1"),
        ("coordinator", "/api/v1/locations", "ZWPLAN-1"),
        ("coordinator", "/api/v1/capacity-reports", "ZWPLAN-1"),
        ("coordinator", "/api/v1/capacity-reports", "IJ-1"),
        ("coordinator", "/api/v1/permit-holder-reports", "GM0150"),
        ("provincial_reader", "/api/v1/permit-holder-reports", "GM0150"),
        ("coordinator", "/allocations/", "Taakstelling IJsselland"),
        ("coordinator", "/allocations/exchanges/", "Uitruil IJsselland"),
        ("coordinator", "/matching/placements/", "Opvang Deventer"),
        ("coordinator", "/actions/", "Actie IJsselland"),
        ("coordinator", "/actions/", "Actie Overijssel"),
        ("coordinator", "/imports/", "ijsselland.csv"),
        ("project_leader", "/api/v1/actions", "Actie IJsselland"),
        ("secretary", "/admin/meetings/entry/", "Actie IJsselland"),
        ("provincial_reader", "/api/v1/locations", "IJ-1"),
        ("provincial_reader", "/actions/", "Actie Overijssel"),
        ("provincial_reader", "/api/v1/actions", "Actie Overijssel"),
        ("provincial_reader", "/api/v1/meetings", "PRT Overijssel"),
        ("provincial_reader_gelderland", "/api/v1/actions", "Actie PRT Gelderland"),
    ],
)
def test_the_audited_pages_do_show_the_users_own_region(world, role, url, own):
    """The walk would see Twente's data if it were there: the same pages show IJsselland's."""
    client = Client()
    client.force_login(world.users[role])
    response = client.get(url)
    assert response.status_code == 200
    assert own in text_of(response)


@pytest.mark.parametrize("role", sorted(set(READS) - NAMES_UNDISCLOSED))
def test_a_location_yet_to_open_does_not_exist_for_who_may_not_name_it(world, role):
    """Within the own region too: 404 by its code on the pages and the API, and the
    dashboard gives it as a number for its municipality."""
    client = api_as(world.users[role])
    report = CapacityReport.objects.get(location__code="ZWPLAN-1")
    for url in (
        "/locations/ZWPLAN-1/",
        "/api/v1/locations/ZWPLAN-1",
        f"/api/v1/capacity-reports/{report.pk}",
    ):
        assert client.get(url).status_code == 404, url
    if role != "provincial_reader_gelderland":
        dashboard = client.get("/").content.decode()
        assert "Zwolle: 1 locatie" in dashboard


# Forms and writes aimed at Twente, with otherwise valid data ------------------------------------


def api_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_post(client: Client, method: str, url: str, data: dict):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def location_form(world, **fields) -> dict:
    return {
        "code": world.location.code,
        "name": "Overgenomen door IJsselland",
        "municipality": world.own["deventer"].pk,
        "place": "Deventer",
        "type": "cno",
        "target_group": "ukraine",
        "status": "operational",
        "version": world.location.version,
        **fields,
    }


@pytest.mark.parametrize("role", ["coordinator", "project_leader"])
def test_forms_aimed_at_twente_are_refused_and_change_nothing(world, role):
    user = world.users[role]
    client = api_as(user)
    enschede = world.location.municipality
    before = snapshot()
    today = TODAY.isoformat()
    twentes = world.location.code
    refused = [
        # Edit Twente's location, or create one in a Twente municipality.
        client.post(f"/locations/{twentes}/edit/", location_form(world)),
        api_post(
            client,
            "put",
            f"/api/v1/locations/{twentes}",
            {**location_form(world), "municipality": "GM0150"},
        ),
        api_post(client, "patch", f"/api/v1/locations/{twentes}", {"name": "Overgenomen"}),
        api_post(
            client,
            "post",
            "/api/v1/locations",
            {**location_form(world, code="NIEUW-1"), "municipality": "GM0153"},
        ),
        # Move an own location into Twente.
        api_post(
            client,
            "patch",
            "/api/v1/locations/IJ-1",
            {"municipality": "GM0153", "version": world.own["location"].version},
        ),
        # The weekly grid of a Twente municipality, and a report for Twente's location.
        client.get(f"/counts/?municipality={enschede.code}"),
        client.post(
            "/counts/",
            {
                "municipality": enschede.code,
                "date": today,
                f"{twentes}__capacity": 10,
                f"{twentes}__occupied": 5,
                f"{twentes}__reserved": 0,
            },
        ),
        api_post(
            client,
            "post",
            "/api/v1/capacity-reports",
            {"location": twentes, "date": today, "capacity": 10, "occupied": 5},
        ),
        # Permit-holder housing of a Twente municipality, on the page and through the API.
        client.get(f"/permit-holders/?municipality={enschede.code}"),
        client.post(
            "/permit-holders/",
            {"municipality": enschede.code, "date": today, "housed": 1, "linked": 1},
        ),
        api_post(
            client,
            "post",
            "/api/v1/permit-holder-reports",
            {"municipality": enschede.code, "date": today, "housed": 1, "linked": 1},
        ),
        api_post(
            client,
            "patch",
            f"/api/v1/permit-holder-reports/{world.housing_report.pk}",
            {"housed": 1, "version": world.housing_report.version},
        ),
        # A placement into Twente's location, or for Twente's request.
        api_post(
            client,
            "post",
            "/api/v1/placements",
            {"location": twentes, "people": 1, "target_group": "ukraine"},
        ),
        api_post(
            client,
            "post",
            "/api/v1/placements",
            {
                "location": "IJ-1",
                "people": 1,
                "target_group": "ukraine",
                "request": world.request.pk,
            },
        ),
        # Twente's task: change, adopt, agree, exchange within it.
        api_post(client, "patch", f"/api/v1/assignments/{world.assignment.code}", {"total": 1}),
        api_post(
            client,
            "post",
            "/api/v1/exchanges",
            {
                "from_assignment": world.assignment.code,
                "from_municipality": "GM0153",
                "to_municipality": "GM0164",
                "places": 1,
                "reason": "Overname",
                "date": today,
            },
        ),
        api_post(
            client,
            "post",
            "/api/v1/assignments",
            {
                "code": "nieuw-vr05",
                "title": "Nieuw",
                "target_group": "asylum",
                "issuer": "rijk",
                "region": "VR05",
                "total": 10,
            },
        ),
        api_post(client, "post", "/api/v1/allocations/preview", {"total": 10, "region": "VR05"}),
    ]
    if role == "coordinator":
        own_request = world.own["request"]
        refused += [
            client.post(f"/counts/?municipality={enschede.code}", {"unchanged": twentes}),
            client.post(
                f"/matching/requests/{own_request.pk}/place/",
                {"location": twentes, "people": 1, "category": "regular"},
            ),
        ]
    for response in refused:
        assert response.status_code in (400, 403, 404), (
            response.request["PATH_INFO"],
            response.status_code,
        )
        assert not leaks(response, response.request["PATH_INFO"], ALL_MARKERS)
    # Forms whose choices leave Twente out: shown again with an error.
    kept_out = [
        client.post(
            "/locations/new/", location_form(world, code="NIEUW-2", municipality=enschede.pk)
        )
    ]
    if role == "coordinator":
        own_task = world.own["assignment"].code
        kept_out += [
            client.post(
                f"/allocations/{own_task}/exchanges/new/",
                {
                    "from_municipality": "GM0153",
                    "to_municipality": "GM0164",
                    "to_assignment": own_task,
                    "places": 1,
                    "reason": "Overname",
                    "date": today,
                },
            ),
            client.post(
                f"/allocations/{own_task}/exchanges/new/",
                {
                    "from_municipality": "GM0150",
                    "to_municipality": "GM0193",
                    "to_assignment": world.assignment.code,
                    "places": 1,
                    "reason": "Saldering met Twente",
                    "date": today,
                },
            ),
            api_post(
                client,
                "post",
                "/api/v1/exchanges",
                {
                    "from_assignment": own_task,
                    "from_municipality": "GM0153",
                    "to_municipality": "GM0150",
                    "places": 1,
                    "reason": "Overname",
                    "date": today,
                },
            ),
            api_post(
                client,
                "post",
                "/api/v1/exchanges",
                {
                    "from_assignment": own_task,
                    "from_municipality": "GM0150",
                    "to_municipality": "GM0150",
                    "to_assignment": world.assignment.code,
                    "places": 1,
                    "reason": "Saldering",
                    "date": today,
                },
            ),
        ]
    for response in kept_out:
        assert response.status_code in (200, 400, 403), response.request["PATH_INFO"]
        assert not leaks(response, response.request["PATH_INFO"], ALL_MARKERS)
    assert snapshot() == before


IMPORTS = {
    # Reports for Twente's location.
    "capacity-reports": f"location,date,capacity,occupied\n{CODE}-1,{TODAY.isoformat()},10,5\n",
    # Take Twente's location over into an own municipality, or add one in Twente.
    "locations": (
        "code,name,municipality,place,type,target_group,status\n"
        f"{CODE}-1,Overgenomen,GM0150,Deventer,cno,ukraine,operational\n"
        "NIEUW-9,Nieuw in Enschede,GM0153,Enschede,cno,ukraine,operational\n"
    ),
    # Move a Twente municipality into IJsselland, or change its population.
    "municipalities": "code,name,safety_region\nGM0153,Enschede,VR04\n",
    "population": "municipality,date,inhabitants\nGM0153,2024-01-01,1\n",
    # Permit-holder housing of a Twente municipality.
    "permit-holders": f"municipality,date,housed,linked\nGM0153,{TODAY.isoformat()},1,1\n",
}


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("coordinator", "capacity-reports"),
        ("coordinator", "locations"),
        ("coordinator", "municipalities"),
        ("coordinator", "population"),
        ("coordinator", "permit-holders"),
        ("project_leader", "capacity-reports"),
        ("project_leader", "locations"),
        ("project_leader", "permit-holders"),
    ],
)
def test_an_import_file_with_twentes_rows_is_refused_whole(world, role, kind):
    client = api_as(world.users[role])
    before = snapshot(leave_out=(ImportRun,))
    upload = SimpleUploadedFile(f"{kind}.csv", IMPORTS[kind].encode())
    response = client.post("/imports/", {"kind": kind, "file": upload}, follow=True)
    assert response.status_code == 200
    run = ImportRun.objects.filter(user=world.users[role]).get()
    assert run.status == ImportStatus.FAILED
    assert run.error_count >= 1
    # The refusal names the row's municipality (CBS reference data), never Twente's data.
    assert not leaks(response, "/imports/", [SECRET, *figure_markers()])
    assert client.post(f"/imports/{run.pk}/bevestigen/").status_code in (302, 403)
    assert snapshot(leave_out=(ImportRun,)) == before


def test_the_secretarys_admin_forms_cannot_point_at_twente(world):
    client = api_as(world.users["secretary"])
    before = snapshot()
    own_item = world.own["item"]
    responses = [
        client.post(
            reverse("admin:meetings_meeting_add"),
            {
                "body": world.meeting.body_id,
                "date": "2024-06-01",
                "status": "planned",
                "agenda_items-TOTAL_FORMS": 0,
                "agenda_items-INITIAL_FORMS": 0,
            },
        ),
        client.post(
            reverse("admin:meetings_agendaitem_add"),
            {
                "meeting": world.meeting.pk,
                "number": "99",
                "title": "Ingevoegd",
                "entries-TOTAL_FORMS": 0,
                "entries-INITIAL_FORMS": 0,
                "attachments-TOTAL_FORMS": 0,
                "attachments-INITIAL_FORMS": 0,
            },
        ),
        client.post(
            reverse("admin:meetings_agendaitem_change", args=[own_item.pk]),
            {
                "position": own_item.position,
                "number": own_item.number,
                "title": own_item.title,
                "locations": [world.location.pk],
                "entries-TOTAL_FORMS": 1,
                "entries-INITIAL_FORMS": 0,
                "entries-0-position": 9,
                "entries-0-kind": "B",
                "entries-0-text": "Besluit over Twente",
                "entries-0-assignment": world.assignment.pk,
                "attachments-TOTAL_FORMS": 0,
                "attachments-INITIAL_FORMS": 0,
            },
        ),
    ]
    for response in responses:
        assert response.status_code == 200  # the form again, with its errors
        assert response.context["adminform"].form.errors or any(
            formset.formset.errors for formset in response.context["inline_admin_formsets"]
        )
        assert not leaks(response, response.request["PATH_INFO"], ALL_MARKERS)
    assert snapshot() == before


def test_the_dashboard_lists_the_own_regions_open_actions_only(world):
    client = api_as(world.users["coordinator"])
    response = client.get("/")
    overdue = [entry.text for entry in response.context["dashboard"].actions_overdue]
    assert "Actie IJsselland" not in overdue  # not overdue: no due date
    assert not [text for text in overdue if SECRET in text.lower()]
    twente = api_as(world.twente_user).get("/")
    assert "Actie Twentegeheim" in [e.text for e in twente.context["dashboard"].actions_overdue]
