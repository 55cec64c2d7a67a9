"""Start the test OpenID provider (provider.mjs, node-oidc-provider) for a test module.

Skipped when node is missing; with node but without `npm ci --prefix tests/oidc` (which
`make test` and .ci/run do) the tests fail, since CI must run them.
"""

import json
import os
import selectors
import shutil
import subprocess
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CLIENT_ID = "opvang-twente"
CLIENT_SECRET = "test-secret"
SCOPES = "openid email profile opvang"


class TestProvider:
    """A running provider: its issuer URL, and the accounts file it reads at every login."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, *, process: subprocess.Popen, issuer: str, accounts_file: Path, log: Path):
        self.process = process
        self.issuer = issuer
        self.accounts_file = accounts_file
        self.log = log

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        """Accounts by login name with their claims; read again at the next login."""
        self.accounts_file.write_text(json.dumps(accounts), encoding="utf-8")

    def configure(self, settings) -> None:
        """Point the app (a pytest-django `settings` fixture) at this provider."""
        settings.OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_DISCOVERY_URL = self.issuer
        settings.OIDC_RP_SCOPES = SCOPES
        settings.OIDC_RP_SIGN_ALGO = "RS256"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_provider(*, app_url: str, directory: Path) -> TestProvider:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the OpenID Connect provider tests need it")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is not installed: run `npm ci --prefix tests/oidc`")
    accounts_file = directory / "accounts.json"
    accounts_file.write_text("{}", encoding="utf-8")
    log = directory / "provider.log"
    process = subprocess.Popen(
        [
            node,
            str(HERE / "provider.mjs"),
            "--accounts",
            str(accounts_file),
            "--redirect-uri",
            f"{app_url}/accounts/oidc/callback/",
            "--post-logout-redirect-uri",
            f"{app_url}/accounts/login/",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
        ],
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        env={**os.environ, "NODE_ENV": "test"},
    )
    watch = selectors.DefaultSelector()
    watch.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not watch.select(timeout=max(0.0, deadline - time.monotonic())):
            break
        line = process.stdout.readline()
        if line.startswith("READY "):
            return TestProvider(
                process=process,
                issuer=line.split(" ", 1)[1].strip(),
                accounts_file=accounts_file,
                log=log,
            )
        if not line:  # the process ended
            break
    process.kill()
    pytest.fail(f"the OpenID provider did not start: {log.read_text()}")
