"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here; it launches /usr/bin/chromium. Screenshots go to
artifacts/screenshots/ (ignored by git, kept by CI as artefacts).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium_browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=[(1366, 768)], ids=["laptop"])
def page(request, chromium_browser, live_server):
    width, height = request.param
    context = chromium_browser.new_context(
        viewport={"width": width, "height": height}, locale="nl-NL"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    console_errors = []
    page.on(
        "console",
        lambda msg: (
            console_errors.append(f"{msg.text} {msg.location.get('url', '')}")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    page.console_errors = console_errors
    yield page
    context.close()


TABLET = {"width": 768, "height": 1024}


def no_sideways_scrolling(page) -> None:
    """The page fits its width: wide tables scroll inside their container, not the page."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def twente_live(transactional_db):
    """Reference data in a database the live server's thread can see."""
    from django.core.management import call_command

    call_command("load_twente", verbosity=0)


@pytest.fixture(autouse=True)
def _browser_tasks_run_eagerly(eager_celery):
    """The browser tests follow the user's flow; the real worker has its own tests. With
    REDIS_URL set (CI's PostgreSQL run) no worker serves the live server, so run tasks
    in-process there too."""
