"""Helpers of the browser tests: headless Chromium and page actions (gunicorn comes from
``tests/helpers/servers.py``).

Chromium and chromedriver are Debian's (``apt-get install chromium chromium-driver``);
Selenium Manager is never used, there is no network to download drivers from.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.helpers.servers import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Without these, headless Chromium keeps trying to reach the internet.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
RENDER_TIMEOUT = 240  # seconds; generous, the machine is shared
SCREENSHOT_COPY = Path("/tmp/paint-animation-screenshot.png")
PHONE_SCREENSHOT_COPY = Path("/tmp/paint-animation-screenshot-phone.png")


def base_url(server: LiveServer) -> str:
    """The address the browser opens: ``http://127.0.0.1:<port>``."""
    return f"http://127.0.0.1:{server.port}"


def api_stats(server: LiveServer) -> dict:
    """The server's ``GET /api/stats`` answer."""
    return server.request("GET", "/api/stats", timeout=30).json()


def require_chromium() -> None:
    """Skip (locally) or fail (under CI=true) when Chromium or chromedriver is missing."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if not missing:
        return
    reason = (
        f"browser tests need Debian's Chromium and chromedriver ({', '.join(missing)} not found): "
        "apt-get install chromium chromium-driver"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true, so they must run")
    pytest.skip(reason)


def new_browser(profile: Path, log_path: Path) -> WebDriver:
    """Headless Chromium with a fresh profile, its console log kept for :func:`console_errors`."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER), log_output=str(log_path)), options=options)


def wait(driver: WebDriver, seconds: float = 15) -> WebDriverWait:
    """A wait on ``driver`` polling every 50 ms for at most ``seconds``."""
    return WebDriverWait(driver, seconds, poll_frequency=0.05)


def js(driver: WebDriver, script: str, *args):
    """The value of ``script`` run in the page with ``args``."""
    return driver.execute_script(script, *args)


def text_of(driver: WebDriver, element_id: str) -> str:
    """The visible text of the element ``#element_id``."""
    return driver.find_element(By.ID, element_id).text


def wait_for_text(driver: WebDriver, element_id: str, expected: str, seconds: float = 15) -> None:
    """Wait until ``#element_id`` reads ``expected``."""
    wait(driver, seconds).until(
        lambda d: text_of(d, element_id) == expected, f"#{element_id} never read {expected!r}"
    )


def console_errors(driver: WebDriver) -> list[dict]:
    """The browser console's errors since the last call (reading the log empties it)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def choose_file(driver: WebDriver, path: Path) -> None:
    """Choose ``path`` in the page's file input, as a person picking it would."""
    driver.find_element(By.ID, "file").send_keys(str(path))


def thumbnail_shown(driver: WebDriver) -> bool:
    """Whether the chosen picture's thumbnail is visible and decoded."""
    return js(
        driver,
        "const t = document.getElementById('thumbnail');"
        "return !t.hidden && t.complete && t.naturalWidth > 0;",
    )


def set_duration(driver: WebDriver, seconds: str) -> None:
    """Type ``seconds`` into the duration field, replacing what it held."""
    field = driver.find_element(By.ID, "duration")
    field.clear()
    field.send_keys(seconds)


def wait_for_video(driver: WebDriver) -> None:
    """Wait until the preview has decoded its current frame (readyState >= HAVE_CURRENT_DATA)."""
    wait(driver, RENDER_TIMEOUT).until(
        lambda d: js(d, "return document.getElementById('preview').readyState >= 2") or text_of(d, "error"),
        "the video never became ready",
    )
    assert text_of(driver, "error") == ""


def save_screenshots(driver: WebDriver, tmp_path: Path) -> None:
    """Desktop and phone-width screenshots of the whole page, copied to /tmp for a look."""
    for name, width, copy in (("desktop", 1280, SCREENSHOT_COPY), ("phone", 390, PHONE_SCREENSHOT_COPY)):
        driver.set_window_size(width, 900)
        for _ in range(3):  # the window's height includes its frame; the layout reflows
            frame = driver.get_window_size()["height"] - js(driver, "return window.innerHeight;")
            height = js(driver, "window.scrollTo(0, 0); return document.documentElement.scrollHeight;")
            driver.set_window_size(width, height + frame)
        assert js(driver, "return document.documentElement.scrollWidth <= window.innerWidth;"), (
            f"the page overflows sideways at {width} px"
        )
        path = tmp_path / f"paint-animation-{name}.png"
        assert driver.save_screenshot(str(path))
        shutil.copyfile(path, copy)
