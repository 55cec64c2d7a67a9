"""The English UI (issue 21): every page, opened in English by the role that uses it, shows no
Dutch word outside proper names and data.

The walk comes from the project's URL patterns (as tests/twente/test_region_isolation.py
does): every page route is either in PAGES (who opens it, with which path parameters) or in
NOT_PAGES with the reason; a new route fails `test_every_page_route_is_walked` until it is
classified. The secretary's admin is walked from its own index: every changelist and add
page it links to, and the first object of each changelist.

"Outside proper names and data": before the check, every string stored in the database
(municipality, location and body names, minutes, titles, notes: the reference data and the
seeded documents are Dutch) is taken out of the page's text, as are the names in PROPER.
What remains is the interface: visible text plus the accessible names (aria-label, title,
placeholder, alt, button values) that a screen reader reads out.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from capacity.choices import ReportSource, TargetGroup
from capacity.models import CapacityReport, Location, PermitHolderReport
from meetings.models import AgendaItem, Attachment, Meeting, Portfolio, PrivateAnnotation
from municipalities.models import Municipality
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, UserFactory
from tests.imports.factories import ImportRunFactory
from tests.matching.factories import PlacementFactory, PlacementRequestFactory
from tests.twente.test_region_isolation import is_admin, url_patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Dutch words no English page shows. Words that are English too ("week", "status", "code",
# "open", "agenda", "deadline", "over", "is", "in") are left out.
DUTCH = [
    "gemeente",
    "gemeenten",
    "opvang",
    "plekken",
    "plaatsen",
    "bezetting",
    "bezet",
    "bezettingsgraad",
    "opslaan",
    "acties",
    "actie",
    "besluiten",
    "besluit",
    "overleg",
    "overleggen",
    "terug",
    "nieuwe",
    "nieuw",
    "wijzigen",
    "verwijderen",
    "inloggen",
    "uitloggen",
    "overzicht",
    "doelgroep",
    "taakstelling",
    "taakstellingen",
    "melding",
    "meldingen",
    "locatie",
    "locaties",
    "statushouders",
    "zoeken",
    "kies",
    "annuleren",
    "bevestigen",
    "gebruikersnaam",
    "wachtwoord",
    "niet",
    "geen",
    "het",
    "een",
    "voor",
    "naar",
    "uit",
    "wordt",
    "zijn",
    "veiligheidsregio",
    "provincie",
    "peildatum",
    "verdeling",
    "uitruil",
    "plaatsing",
    "plaatsingen",
    "vergadering",
    "verslag",
    "bijlage",
    "bijlagen",
    "knelpunt",
    "knelpunten",
    "portefeuille",
    "telling",
    "weektelling",
    "gemeld",
    "opgeslagen",
    "ingevuld",
    "toevoegen",
    "bekijken",
    "afdrukken",
    "vorige",
    "volgende",
    "totaal",
    "gerealiseerd",
    "tekort",
    "regionaal",
    "beeld",
]
WORD = re.compile(r"\b(" + "|".join(DUTCH) + r")\b", re.IGNORECASE)
# Proper names the interface itself uses (the application's name, bodies, organisations).
PROPER = [
    "Opvang Twente",
    "Twentse Regietafel Asielinstroom",
    "Bestuurlijk Afstemmingsoverleg",
    "Provinciale Regietafel",
    "Veiligheidsregio Twente",
    "Nationaal aanmeldcentrum Ter Apel",
    "Kaartgegevens © Kadaster",
]


PAGES = {
    # route: (role, kwargs from the world or None, query string)
    "": ("coordinator", None, ""),
    "dashboard/print/": ("coordinator", None, ""),
    "dashboard/province/": ("provincial_reader", None, ""),
    "dashboard/national/": ("coordinator", None, ""),
    "municipalities/": ("coordinator", None, ""),
    "locations/": ("coordinator", None, ""),
    "locations/new/": ("project_leader", None, ""),
    "locations/<str:code>/": ("coordinator", lambda w: {"code": w["location"].code}, ""),
    "locations/<str:code>/edit/": ("project_leader", lambda w: {"code": w["location"].code}, ""),
    "counts/": ("project_leader", None, ""),
    "counts/status/": ("coordinator", None, ""),
    "thresholds/": ("coordinator", None, ""),
    "permit-holders/": ("project_leader", None, ""),
    "meetings/": ("coordinator", None, ""),
    "meetings/<int:pk>/": ("coordinator", lambda w: {"pk": w["meeting"].pk}, ""),
    "meetings/<int:pk>/list/": ("coordinator", lambda w: {"pk": w["meeting"].pk}, ""),
    "actions/": ("coordinator", None, ""),
    "meetings/portefeuilles/": ("coordinator", None, ""),
    "meetings/portefeuilles/<int:pk>/": (
        "coordinator",
        lambda w: {"pk": w["portfolio"].pk},
        "",
    ),
    "meetings/<int:pk>/annotaties/": ("project_leader", lambda w: {"pk": w["meeting"].pk}, ""),
    "meetings/<int:pk>/annotaties/afdrukken/": (
        "project_leader",
        lambda w: {"pk": w["meeting"].pk},
        "",
    ),
    "meetings/punten/<int:pk>/annotatie/": (
        "project_leader",
        lambda w: {"pk": w["item"].pk},
        "",
    ),
    "allocations/": ("coordinator", None, ""),
    "allocations/new/": ("coordinator", None, ""),
    "allocations/exchanges/": ("coordinator", None, ""),
    "allocations/<slug:code>/": ("coordinator", lambda w: {"code": w["assignment"].code}, ""),
    "allocations/<slug:code>/exchanges/new/": (
        "coordinator",
        lambda w: {"code": w["assignment"].code},
        "",
    ),
    "allocations/<slug:code>/credits/new/": (
        "coordinator",
        lambda w: {"code": w["assignment"].code},
        "",
    ),
    "national-figures/": ("coordinator", None, ""),
    "matching/": ("coordinator", None, ""),
    "matching/requests/<int:pk>/": ("coordinator", lambda w: {"pk": w["request"].pk}, ""),
    "matching/placements/": ("coordinator", None, ""),
    "imports/": ("coordinator", None, ""),
    "imports/<int:pk>/": ("coordinator", lambda w: {"pk": w["import_run"].pk}, ""),
    "notifications/": ("coordinator", None, ""),
    "accounts/login/": (None, None, ""),
    "accounts/geen-rol/": (None, None, ""),
    # The second factor's pages: test_the_second_factor_pages_read_in_english.
    "accounts/tweestapsverificatie/instellen/": ("second factor", None, ""),
    "accounts/tweestapsverificatie/": ("second factor", None, ""),
    "accounts/tweestapsverificatie/herstelcodes/": ("second factor", None, ""),
}
# Routes that are no page of their own, with the reason.
NOT_PAGES = {
    "health/": "JSON for the load balancer",
    "i18n/setlang/": "sets the language and redirects",
    "accounts/logout/": "POST only; ends the session",
    "accounts/oidc/authenticate/": "a redirect to the identity provider",
    "accounts/oidc/callback/": "the identity provider's return, a redirect",
    "dashboard/export/": "CSV and XLSX downloads",
    "dashboard/map/": "JSON for the dashboard's map (its labels are checked on the dashboard)",
    "allocations/credits/<int:pk>/remove/": "POST only",
    "counts/reports/<int:pk>/checked/": "POST only: marks a report as reviewed",
    "meetings/bijlagen/<int:pk>/": "a file download",
    "meetings/bijlagen/<int:pk>/versies/<int:version>/": "a file download",
    "allocations/exchanges/<int:pk>/withdraw/": "POST only",
    "allocations/<slug:code>/agree/": "POST only",
    "allocations/<slug:code>/adopt/": "POST only",
    "matching/requests/<int:pk>/place/": "POST only",
    "matching/placements/<int:pk>/end/": "POST only",
    "imports/<int:pk>/bevestigen/": "POST only",
    "imports/<int:pk>/status/": "JSON for the page's progress poll",
}


def _api(route: str) -> bool:
    # The REST API answers JSON (its Dutch messages are the default answers); its Swagger
    # documentation is the API's developer reference, English with Dutch example answers.
    return route.startswith("api/")


def test_every_page_route_is_walked():
    """A route this walk does not know fails here: add it to PAGES (who opens it) or to
    NOT_PAGES (why it is no page)."""
    routes = {route for route, _name, _ in url_patterns() if not is_admin(route)}
    unknown = sorted(r for r in routes if not _api(r) and r not in PAGES and r not in NOT_PAGES)
    assert unknown == [], "routes the English walk does not know"
    assert not (set(PAGES) | set(NOT_PAGES)) - routes, "stale entries"


TOKEN = re.compile(r"[^\W\d_]+")


class Data:
    """The texts stored in the database, to tell data from interface on a page.

    Whole values (names) are taken out of the page text first. Long texts are shown
    shortened, with markup or with redactions, so a Dutch word left over still counts as
    data when the words around it (a run of three) occur in some stored text."""

    def __init__(self, strings: list[str]):
        self.strings = strings
        self.runs: set[tuple[str, ...]] = set()
        for value in strings:
            words = [w.lower() for w in TOKEN.findall(value)]
            for size in (2, 3):
                self.runs.update(zip(*(words[i:] for i in range(size)), strict=False))

    def holds(self, words: list[str], index: int) -> bool:
        for start in range(index - 2, index + 1):
            run = tuple(words[max(start, 0) : start + 3]) if start >= 0 else ()
            if len(run) == 3 and run in self.runs:
                return True
        if len(words) < 3:
            return any(run in self.runs for run in zip(words, words[1:], strict=False))
        return False


def _data_strings() -> "Data":
    """Every short text stored in the database: the names and texts a page shows as data."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields)[:2000]:
            for value in row:
                if isinstance(value, str) and len(value.strip()) >= 3:
                    found.add(value.strip())
                    # Long texts are shown shortened or line by line: their lines count too.
                    found.update(line.strip() for line in value.splitlines() if line.strip())
    return Data(sorted(found, key=len, reverse=True))


def _interface_text(page) -> str:
    return page.evaluate(
        """() => {
            const parts = [document.body.innerText, document.title];
            for (const element of document.querySelectorAll(
                "[aria-label], [title], [placeholder], [alt], input[type=submit], "
                + "input[type=button]"
            )) {
                for (const name of ["aria-label", "title", "placeholder", "alt"]) {
                    if (element.hasAttribute(name)) parts.push(element.getAttribute(name));
                }
                if (element.tagName === "INPUT" && element.value) parts.push(element.value);
            }
            return parts.join("\\n");
        }"""
    )


def dutch_words(text: str, data: "Data") -> list[str]:
    """Each Dutch word left once data and proper names are out, with the text around it.

    A word is data when it lies inside a stored value (or a proper name) on the page, or when
    the run of three words around it occurs in a stored text (a shortened or marked-up one)."""
    covered = bytearray(len(text))
    for value in [*PROPER, *data.strings]:
        start = text.find(value)
        while start != -1:
            covered[start : start + len(value)] = b"\1" * len(value)
            start = text.find(value, start + 1)
    found = {}
    offset = 0
    for line in text.split("\n"):
        tokens = list(TOKEN.finditer(line))
        words = [token.group(0).lower() for token in tokens]
        for index, token in enumerate(tokens):
            if not WORD.fullmatch(token.group(0)) or covered[offset + token.start()]:
                continue
            if data.holds(words, index):
                continue
            around = line[max(0, token.start() - 40) : token.end() + 40]
            found.setdefault(token.group(0).lower(), " ".join(around.split()))
        offset += len(line) + 1
    return [f"{word}: …{around}…" for word, around in sorted(found.items())]


@pytest.fixture
def world(twente_live, settings):
    """The reference data and seeded documents of Twente, one of every object a page shows,
    and one account per role."""
    settings.TWO_FACTOR_BYPASS = True
    enschede = Municipality.objects.get(code="GM0153")
    location = Location.objects.filter(municipality=enschede).order_by("code").first()
    meeting = Meeting.objects.filter(agenda_items__isnull=False).order_by("-date").first()
    item = AgendaItem.objects.filter(meeting=meeting).order_by("position").first()
    from allocation.models import Assignment

    coordinator = UserFactory(username="coord-en", role="coordinator")
    UserFactory(username="leader-en", role="project_leader", scope__municipality=enschede)
    UserFactory(username="prov-en", role="provincial_reader")
    secretary = UserFactory(username="secr-en", role="secretary")
    secretary.is_staff = True
    secretary.save()
    # A transactional test's flush takes the permissions the data migrations gave the group
    # (as in test_admin_accessibility): give back what the secretary keeps the minutes with.
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name="secretary").permissions.add(
        *Permission.objects.filter(content_type__app_label="meetings").exclude(
            content_type__model="privateannotation"
        )
    )
    PrivateAnnotation.objects.create(item=item, municipality=enschede, advice="agree", text="+1")
    request = PlacementRequestFactory(region=enschede.safety_region, created_by=coordinator)
    if location is not None:
        CapacityReport.objects.get_or_create(
            location=location,
            date=timezone.localdate(),
            defaults={"capacity": 40, "occupied": 30, "source": ReportSource.FORM},
        )
    PlacementFactory(request=request)
    PermitHolderReport.objects.create(
        municipality=enschede,
        date=timezone.localdate() - datetime.timedelta(days=3),
        housed=4,
        housed_amv=1,
        linked=7,
        source=ReportSource.FORM,
    )
    return {
        "location": location,
        "meeting": meeting,
        "item": item,
        "portfolio": Portfolio.objects.order_by("pk").first(),
        "attachment": Attachment.objects.order_by("pk").first(),
        "assignment": Assignment.objects.filter(target_group=TargetGroup.ASYLUM)
        .order_by("-realise_by")
        .first(),
        "request": request,
        "import_run": ImportRunFactory(user=coordinator, safety_region=enschede.safety_region),
        "users": {
            "coordinator": "coord-en",
            "project_leader": "leader-en",
            "provincial_reader": "prov-en",
            "secretary": "secr-en",
        },
    }


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}\n    " + "\n    ".join(words) for url, words in found.items())


def _english_context(chromium_browser, live_server):
    context = chromium_browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    context.set_default_timeout(15_000)
    return context


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


# Pages that answer with an error status on purpose (the refusal and not-found pages).
EXPECTED_STATUS = {"/accounts/geen-rol/": 403, "/no-such-page/": 404}


def _visit(page, url: str, data: "Data", found: dict) -> None:
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    path = "/" + url.split("/", 3)[-1]
    status = response.status if response is not None else None
    if status != EXPECTED_STATUS.get(path.split("?")[0], 200):
        found[url] = [f"status {status}"]
        return
    if page.evaluate("document.documentElement.lang") != "en":
        found[url] = ["not lang=en"]
    words = dutch_words(_interface_text(page), data)
    if words:
        found[url] = found.get(url, []) + words


def test_every_page_reads_in_english(world, chromium_browser, live_server):
    data = _data_strings()
    found: dict[str, list[str]] = {}
    by_role: dict[str | None, list[str]] = {}
    for route, (role, kwargs, query) in PAGES.items():
        if role == "second factor":
            continue
        name = next(n for r, n, _ in url_patterns() if r == route)
        url = reverse(name, kwargs=kwargs(world) if kwargs else None) + query
        by_role.setdefault(role, []).append(url)
    by_role.setdefault(None, []).append("/no-such-page/")  # the 404 page

    for role, urls in by_role.items():
        context = _english_context(chromium_browser, live_server)
        page = context.new_page()
        if role in world["users"]:
            _log_in(page, live_server.url, world["users"][role])
        elif role is not None:
            pytest.fail(f"no account for {role}")
        for url in urls:
            _visit(page, live_server.url + url, data, found)
        context.close()
    assert not found, "Dutch words on English pages:\n" + report(found)


def test_the_secretarys_admin_reads_in_english(world, chromium_browser, live_server):
    data = _data_strings()
    found: dict[str, list[str]] = {}
    context = _english_context(chromium_browser, live_server)
    page = context.new_page()
    _log_in(page, live_server.url, world["users"]["secretary"])
    index = live_server.url + reverse("admin:index")
    _visit(page, index, data, found)
    links = page.eval_on_selector_all(
        "#content-main a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    pages = sorted({link for link in links if link.startswith("/admin/")})
    assert len(pages) > 5, "the secretary sees (almost) nothing in the admin"
    for link in pages:
        _visit(page, live_server.url + link, data, found)
        if link.endswith("/add/"):
            continue
        first = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first
        if first.count():
            href = first.get_attribute("href")
            _visit(page, live_server.url + href, data, found)
    screenshot(page, "english-admin")
    context.close()
    assert not found, "Dutch words on English admin pages:\n" + report(found)


def test_the_second_factor_pages_read_in_english(world, chromium_browser, live_server, settings):
    """Set up (with a wrong code first: the error too), the recovery codes, and the code
    asked at the next login."""
    from base64 import b32decode

    from tests.browser.test_second_factor import code_and_step, next_unused_code

    settings.TWO_FACTOR_BYPASS = False
    data = _data_strings()
    found: dict[str, list[str]] = {}
    context = _english_context(chromium_browser, live_server)
    page = context.new_page()

    def check(what: str) -> None:
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.lang") == "en"
        words = dutch_words(_interface_text(page), data)
        if words:
            found[what] = words

    _log_in(page, live_server.url, world["users"]["coordinator"])
    assert reverse("accounts:second-factor-setup") in page.url
    check("set-up")
    key = b32decode(page.get_by_test_id("totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Set up").click()
    check("set-up, wrong code")
    import time

    time.sleep(1.1)  # django-otp's throttle
    setup_code, used_step = code_and_step(key)
    page.get_by_label("Code from the app").fill(setup_code)
    page.get_by_role("button", name="Set up").click()
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    check("recovery codes")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("networkidle")
    check("logged out")
    _log_in(page, live_server.url, world["users"]["coordinator"])
    assert reverse("accounts:second-factor") in page.url
    check("verify")
    page.get_by_label("Code from the app").fill(next_unused_code(key, used_step))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == live_server.url
    context.close()
    assert not found, "Dutch words on the English second-factor pages:\n" + report(found)
