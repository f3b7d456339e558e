"""Browser tests: Playwright for Python driving Debian's Chromium.

Never run `playwright install`: there is no internet here. The browser is
/usr/bin/chromium, installed by scripts/system-deps.sh.
"""

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture
def demo(django_db_serialized_rollback, site_pages):
    """The demo users and agencies, loaded into the live server's database."""
    from lms import demo as people_demo

    people_demo.load()
    return people_demo


@pytest.fixture
def login(page, live_server):
    """Log in through the real form: ``login("aprendiz", lang="es")``."""

    def do_login(username, password="demo-Armas-2026", lang="en"):
        page.goto(f"{live_server.url}/{lang}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return do_login


@pytest.fixture
def axe_violations():
    """Run axe-core (shipped inside axe-playwright-python) on a page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page):
        result = axe.run(page)
        return [
            (v["id"], v["impact"], [n.get("target") for n in v["nodes"]][:3]) for v in result.response["violations"]
        ]

    return run
