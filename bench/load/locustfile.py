"""Load test: coordinators, the provincial table and project leaders at the same time.

Run by bench/load/run.sh (which seeds the database and starts gunicorn and a worker); by hand:

    LOAD_ACCOUNTS=accounts.json LOAD_WRITES=writes.json \\
        .venv/bin/locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s \\
        --stop-timeout 90 --host http://127.0.0.1:8790

Who does what (every request must succeed: any other answer is a failure):
- Coordinators (VRT) log in through the login form (CSRF and all) and the second factor (the
  code of their TOTP device, whose key seed.py hands out) and open the dashboard, its
  print page and exports, and the weekly reporting status.
- The provincial table reads the API with a token: the overview (sending back its ETag),
  locations and capacity reports with filters, the outlook.
- Project leaders, one per municipality (`fixed_count`, so two users never write the same
  location and every write is valid), report with a token: this week's report of one of their
  locations (POST, 201 new or 200 replaced), a change of an existing report (GET it, then
  PATCH or PUT it with the `version` it showed when the API has one; before PATCH/PUT
  existed the change goes through POST, which replaces the report of that date), and with
  their session the weekly grid (the form as served, every prefilled row, one save).

The server runs with production settings behind no proxy. The client plays the TLS proxy:
it sends `X-Forwarded-Proto: https` (which production trusts, `BEHIND_TLS_PROXY`) and keeps
the secure session and CSRF cookies over the loopback connection, so SSL redirect, secure
cookies and HSTS stay as in production.

Every successful write is logged to LOAD_WRITES (at the end of the run) so that verify.py can
check that the database holds exactly what was written; every request to LOAD_REQUESTS.
"""

import datetime
import json
import os
import random
from html.parser import HTMLParser
from pathlib import Path

from django_otp.oath import TOTP
from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text())
TODAY = datetime.date.fromisoformat(ACCOUNTS["today"])
REGION = "VR05"
MUNICIPALITIES = [account["municipality"] for account in ACCOUNTS["project_leaders"]]
ALL_LOCATIONS = [code for pl in ACCOUNTS["project_leaders"] for code in pl["locations"]]
GROUPS = ["asylum", "permit_holders", "ukraine"]
# Seconds a person waits between two requests (a machine client a third of it).
THINK_MIN = float(os.environ.get("LOAD_THINK_MIN", "3"))
THINK_MAX = float(os.environ.get("LOAD_THINK_MAX", "8"))

# Successful writes, in the order the server answered them (one greenlet per user, and one
# user per location, so this is also the order in which each location's reports were saved).
WRITES: list[dict] = []
_project_leaders = iter(ACCOUNTS["project_leaders"])
# One account per coordinator user (seed.py makes LOAD_COORDINATORS of them): a TOTP code
# counts once per device and period.
_coordinators = iter(ACCOUNTS["coordinators"])


# Every request: [start (epoch s), "METHOD name", milliseconds, failed], for the steady-state
# figures of report.py (locust's own CSV holds the whole run).
REQUESTS: list[list] = []


@events.request.add_listener
def _log_request(request_type, name, response_time, exception, start_time=None, **kwargs):
    REQUESTS.append([start_time, f"{request_type} {name}", response_time, exception is not None])


@events.test_stop.add_listener
def _write_logs(environment, **kwargs):
    for variable, rows in (("LOAD_WRITES", WRITES), ("LOAD_REQUESTS", REQUESTS)):
        if os.environ.get(variable):
            Path(os.environ[variable]).write_text(json.dumps(rows))


def _record(
    *, via: str, location: str, date: str, capacity: int, occupied: int, reserved: int, status: int
) -> None:
    WRITES.append(
        {
            "via": via,
            "location": location,
            "date": date,
            "capacity": capacity,
            "occupied": occupied,
            "reserved": reserved,
            "status": status,
        }
    )


def _figures(capacity: int) -> tuple[int, int]:
    """A plausible, valid (occupied, reserved) for a location with `capacity` places."""
    occupied = random.randint(int(capacity * 0.75), capacity)
    return occupied, random.randint(0, min(3, capacity - occupied))


class FormParser(HTMLParser):
    """The <input> fields of the forms of a page: {form attribute dict, fields: [(name,
    value)]} (the forms used here have no select or textarea). Submit buttons are left out:
    a browser sends only the one that was pressed."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": []})
        elif tag == "input" and self.forms and attrs.get("name"):
            if attrs.get("type") in ("submit", "button", "image"):
                return
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value") or ""))

    @classmethod
    def find(cls, html: str, *, attr: str = "", field: str = "") -> list[tuple[str, str]] | None:
        """The fields of the first form with attribute `attr` ("name=value") or a field
        named `field`."""
        parser = cls()
        parser.feed(html)
        key, _, value = attr.partition("=")
        for form in parser.forms:
            if (key and form["attrs"].get(key) == value) or (
                field and any(name == field for name, _ in form["fields"])
            ):
                return form["fields"]
        return None


class Visitor(HttpUser):
    """A browser-like client behind the TLS proxy (see the module docstring)."""

    abstract = True

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        request = self.client.request

        def request_behind_tls_proxy(*args, **kwargs):
            # The session, CSRF and messages cookies are Secure: a browser sends them to the
            # proxy over TLS. Here the client itself is the proxy's side of the connection, so
            # it sends them over loopback (requests would hold them back on http://).
            for cookie in self.client.cookies:
                cookie.secure = False
            return request(*args, **kwargs)

        self.client.request = request_behind_tls_proxy
        self.origin = self.host.replace("http://", "https://", 1)

    def login(self, account: dict) -> None:
        page = self.page("/accounts/login/", "login: form", expect=b'name="password"')
        fields = dict(FormParser.find(page.text, field="username") or [])
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                "next": "",
                "username": account["username"],
                "password": account["password"],
            },
            headers=self._form_headers("/accounts/login/"),
            name="login: submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"login failed: {response.status_code}")
                return
            second_step = response.headers.get("Location", "")
        if "/tweestapsverificatie/" in second_step:
            self.second_factor(account, second_step)

    def second_factor(self, account: dict, path: str) -> None:
        """Type the authenticator app's current code, as a coordinator does after the password."""
        page = self.page(path, "login: second factor form", expect=b'name="token"')
        fields = dict(FormParser.find(page.text, field="token") or [])
        fields["token"] = f"{TOTP(bytes.fromhex(account['totp_key'])).token():06d}"
        with self.client.post(
            path,
            data=fields,
            headers=self._form_headers(path),
            name="login: second factor",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "tweestapsverificatie" in response.headers.get(
                "Location", ""
            ):
                response.failure(f"second factor refused: {response.status_code}")

    def _form_headers(self, path: str) -> dict:
        return {"Origin": self.origin, "Referer": f"{self.origin}{path}"}

    def page(self, path: str, name: str, expect: bytes = b"utrecht-heading-1"):
        """GET a page; anything but 200 (a redirect to the login form too) is a failure."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} for {path}")
            elif expect not in r.content:
                r.failure(f"{path}: unexpected content")
            return r


class Coordinator(Visitor):
    weight = 1
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self):
        super().on_start()
        self.login(next(_coordinators))

    @task(6)
    def dashboard(self):
        self.page("/", "page: dashboard /")

    @task(1)
    def dashboard_sorted(self):
        sort = random.choice(["-asylum_gap", "population", "-ukraine_gap", "last_report"])
        self.page(f"/?sort={sort}", "page: dashboard /?sort=")

    @task(2)
    def print_page(self):
        self.page("/dashboard/print/", "page: dashboard print")

    @task(2)
    def export(self):
        table, fmt = random.choice(
            [("municipalities", "xlsx"), ("target_groups", "csv"), ("municipalities", "csv")]
        )
        self.page(
            f"/dashboard/export/?table={table}&format={fmt}",
            f"export: {fmt}",
            expect=b"" if fmt == "csv" else b"PK",
        )

    @task(1)
    def counts_status(self):
        self.page("/counts/status/", "page: counts status")


class ProvincialReader(HttpUser):
    """A machine client of the provincial table: token, JSON, no session."""

    weight = 1
    wait_time = between(THINK_MIN / 3, THINK_MAX / 3)

    def on_start(self):
        account = ACCOUNTS["provincial_readers"][0]
        self.client.headers["Authorization"] = f"Token {account['token']}"
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.etag = None

    def api(self, path: str, name: str, ok=(200,), headers=None):
        with self.client.get(path, name=name, headers=headers, catch_response=True) as r:
            if r.status_code not in ok:
                r.failure(f"{r.status_code} for {path}: {r.text[:200]}")
            return r

    @task(4)
    def overview(self):
        headers = {"If-None-Match": self.etag} if self.etag and random.random() < 0.5 else None
        response = self.api(
            f"/api/v1/overview?region={REGION}",
            "api: overview" + (" (If-None-Match)" if headers else ""),
            ok=(200, 304),
            headers=headers,
        )
        self.etag = response.headers.get("ETag") or self.etag

    @task(3)
    def locations(self):
        query = random.choice(
            [
                f"municipality={random.choice(MUNICIPALITIES)}",
                f"target_group={random.choice(GROUPS)}&status=operational",
                "page_size=100",
                "search=Enschede",
            ]
        )
        self.api(f"/api/v1/locations?{query}", "api: locations ?filters")

    @task(4)
    def capacity_reports(self):
        week_ago = (TODAY - datetime.timedelta(days=6)).isoformat()
        month_ago = (TODAY - datetime.timedelta(days=28)).isoformat()
        query = random.choice(
            [
                f"municipality={random.choice(MUNICIPALITIES)}&date_after={month_ago}",
                f"date_after={week_ago}&date_before={TODAY.isoformat()}&page_size=200",
                f"location={random.choice(ALL_LOCATIONS)}",
                "flagged=true",
                f"source=api&date_after={week_ago}",
            ]
        )
        self.api(f"/api/v1/capacity-reports?{query}", "api: capacity-reports ?filters")

    @task(1)
    def outlook(self):
        self.api(f"/api/v1/capacity-outlook?region={REGION}", "api: capacity-outlook")


class ProjectLeader(Visitor):
    """One per municipality: never two users on the same location."""

    fixed_count = len(ACCOUNTS["project_leaders"])
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self):
        super().on_start()
        self.account = next(_project_leaders)
        self.capacity = self.account["locations"]  # code -> places (never changed here)
        self.token = {"Authorization": f"Token {self.account['token']}"}
        self.login(self.account)

    def _json(self, method: str, path: str, name: str, ok, body=None):
        with self.client.request(
            method, path, name=name, json=body, headers=self.token, catch_response=True
        ) as r:
            if r.status_code not in ok:
                r.failure(f"{method} {path} {body}: {r.status_code} {r.text[:300]}")
                return None
            return r

    @task(4)
    def report_post(self):
        """This week's count of one location (the last seven days)."""
        code = random.choice(list(self.capacity))
        date = (TODAY - datetime.timedelta(days=random.randint(0, 6))).isoformat()
        capacity = self.capacity[code]
        occupied, reserved = _figures(capacity)
        body = {
            "location": code,
            "date": date,
            "capacity": capacity,
            "occupied": occupied,
            "reserved": reserved,
        }
        r = self._json("POST", "/api/v1/capacity-reports", "api: report POST", (200, 201), body)
        if r is not None:
            _record(via="api-post", status=r.status_code, **body)

    @task(3)
    def report_change(self):
        """Read one of this week's reports and change its counts."""
        code = random.choice(list(self.capacity))
        since = (TODAY - datetime.timedelta(days=6)).isoformat()
        listing = self._json(
            "GET",
            f"/api/v1/capacity-reports?location={code}&date_after={since}",
            "api: capacity-reports ?location=&date_after=",
            (200,),
        )
        if listing is None:
            return
        results = listing.json()["results"]
        if not results:
            return self.report_post()
        report = self._json(
            "GET",
            f"/api/v1/capacity-reports/{random.choice(results)['id']}",
            "api: report GET",
            (200,),
        )
        if report is None:
            return
        current = report.json()
        allowed = report.headers.get("Allow", "")
        occupied, reserved = _figures(current["capacity"])
        version = {"version": current["version"]} if "version" in current else {}
        path = f"/api/v1/capacity-reports/{current['id']}"
        if "PATCH" in allowed and random.random() < 0.5:
            body = {"occupied": occupied, "reserved": reserved, **version}
            r = self._json("PATCH", path, "api: report PATCH", (200,), body)
            via = "api-patch"
        elif "PUT" in allowed:
            body = {
                "location": code,
                "date": current["date"],
                "capacity": current["capacity"],
                "occupied": occupied,
                "reserved": reserved,
                **version,
            }
            r = self._json("PUT", path, "api: report PUT", (200,), body)
            via = "api-put"
        else:
            # No PATCH/PUT on reports yet: a second POST of that date replaces the report.
            body = {
                "location": code,
                "date": current["date"],
                "capacity": current["capacity"],
                "occupied": occupied,
                "reserved": reserved,
            }
            r = self._json(
                "POST", "/api/v1/capacity-reports", "api: report POST (replace)", (200,), body
            )
            via = "api-post-replace"
        if r is not None:
            _record(
                via=via,
                location=code,
                date=current["date"],
                capacity=current["capacity"],
                occupied=occupied,
                reserved=reserved,
                status=r.status_code,
            )

    @task(1)
    def weekly_grid(self):
        """The weekly counts page as served, every row changed a little, one save."""
        page = self.page("/counts/", "page: weekly grid", expect=b'data-testid="counts-form"')
        if page.status_code != 200:
            return
        fields = FormParser.find(page.text, attr="data-testid=counts-form")
        if fields is None:
            return
        values = dict(fields)
        date = values["date"]
        data, written = [], []
        for name, value in fields:
            code, _, figure = name.partition("__")
            if figure == "occupied" and values.get(f"{code}__capacity"):
                capacity = int(values[f"{code}__capacity"])
                shown = (values.get(f"{code}__occupied"), values.get(f"{code}__reserved"))
                # A row saved with the figures it showed is unchanged: the server rightly
                # writes no report and no history for it, so only changed rows count as writes.
                for _ in range(10):
                    occupied, reserved = _figures(capacity)
                    if (str(occupied), str(reserved)) != shown:
                        written.append((code, capacity, occupied, reserved))
                        break
                data += [(name, str(occupied)), (f"{code}__reserved", str(reserved))]
            elif figure != "reserved" or not values.get(f"{code}__capacity"):
                data.append((name, value))
        with self.client.post(
            "/counts/",
            data=data,
            headers=self._form_headers("/counts/"),
            name="page: weekly grid save",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            # Saved: back to the grid. Refused: the page again (200); session lost: the login.
            if r.status_code != 302 or not r.headers.get("Location", "").startswith("/counts/"):
                r.failure(f"grid not saved: {r.status_code} {r.headers.get('Location', '')}")
                return
        for code, capacity, occupied, reserved in written:
            _record(
                via="grid",
                location=code,
                date=date,
                capacity=capacity,
                occupied=occupied,
                reserved=reserved,
                status=302,
            )
        self.page(r.headers["Location"], "page: weekly grid after save")

    @task(1)
    def own_locations(self):
        self._json(
            "GET",
            f"/api/v1/locations?municipality={self.account['municipality']}",
            "api: own locations",
            (200,),
        )
