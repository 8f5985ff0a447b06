"""End to end: the web page in Debian's Chromium, driven by Selenium, against real gunicorn.

Without Chromium these tests skip locally; under ``CI=true`` they fail instead (``.ci/run``
installs chromium and chromium-driver first).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from algorithms.options import RenderOptions
from backend.errors import INVALID_FORMAT_MESSAGE
from conftest import PHOTOS, PROJECT_ROOT, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Without these, headless Chromium keeps trying to reach the internet.
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")
RENDER_TIMEOUT = 240  # seconds; generous, the machine is shared
SCREENSHOT_COPY = Path("/tmp/paint-animation-screenshot.png")
PHONE_SCREENSHOT_COPY = Path("/tmp/paint-animation-screenshot-phone.png")


@dataclass
class LiveServer:
    """A gunicorn serving ``main:app`` on a loopback port, with its folders under ``root``."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def get_json(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.load(response)

    def stop(self) -> None:
        """SIGTERM to gunicorn's process group; SIGKILL to the group if it lingers."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def require_chromium() -> None:
    """Skip (locally) or fail (under CI=true) when Chromium or chromedriver is missing."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if not missing:
        return
    reason = (f"browser tests need Debian's Chromium and chromedriver ({', '.join(missing)} not found): "
              "apt-get install chromium chromium-driver")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true, so they must run")
    pytest.skip(reason)


def start_server(root: Path, **settings: str) -> LiveServer:
    """Start ``gunicorn main:app`` (the project's gunicorn.conf.py) and wait for /api/health."""
    port = free_port()
    env = {**os.environ, "APP_ENV": "development", "HOST": "127.0.0.1", "PORT": str(port),
           "WEB_CONCURRENCY": "2", "UPLOAD_FOLDER": str(root / "uploads"),
           "OUTPUT_FOLDER": str(root / "outputs"), "LOG_FOLDER": str(root / "logs"),
           "DATABASE_URL": f"sqlite:///{root / 'app.db'}", **settings}
    log_path = root / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "main:app"],
                                   cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if server.get_json("/api/health")["status"] == "healthy":
                return server
        except (OSError, ValueError):
            time.sleep(0.2)
    server.stop()
    pytest.fail(f"gunicorn did not answer /api/health:\n{log_path.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    live = start_server(tmp_path_factory.mktemp("server"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    """One worker (exact rate-limit counts), a 0.25 MB request limit, one upload a minute."""
    require_chromium()
    live = start_server(tmp_path_factory.mktemp("strict-server"), WEB_CONCURRENCY="1",
                        MAX_CONTENT_LENGTH=str(256 * 1024), RATELIMIT_ENABLED="true",
                        RATELIMIT_UPLOAD="1 per minute")
    yield live
    live.stop()


@pytest.fixture()
def browser(tmp_path):
    require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(str(CHROMEDRIVER), log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    yield driver
    driver.quit()


# ---- helpers ---------------------------------------------------------------

def wait(driver: WebDriver, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=0.05)


def js(driver: WebDriver, script: str, *args):
    return driver.execute_script(script, *args)


def text_of(driver: WebDriver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def wait_for_text(driver: WebDriver, element_id: str, expected: str, seconds: float = 15) -> None:
    wait(driver, seconds).until(lambda d: text_of(d, element_id) == expected,
                                f"#{element_id} never read {expected!r}")


def console_errors(driver: WebDriver) -> list[dict]:
    """The browser console's errors since the last call (reading the log empties it)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def choose_file(driver: WebDriver, path: Path) -> None:
    driver.find_element(By.ID, "file").send_keys(str(path))


def thumbnail_shown(driver: WebDriver) -> bool:
    return js(driver, "const t = document.getElementById('thumbnail');"
                      "return !t.hidden && t.complete && t.naturalWidth > 0;")


def set_duration(driver: WebDriver, seconds: str) -> None:
    field = driver.find_element(By.ID, "duration")
    field.clear()
    field.send_keys(seconds)


def wait_for_video(driver: WebDriver) -> None:
    """Wait until the preview has decoded its current frame (readyState >= HAVE_CURRENT_DATA)."""
    wait(driver, RENDER_TIMEOUT).until(
        lambda d: js(d, "return document.getElementById('preview').readyState >= 2")
        or text_of(d, "error"), "the video never became ready")
    assert text_of(driver, "error") == ""


def save_screenshots(driver: WebDriver, tmp_path: Path) -> None:
    """Desktop and phone-width screenshots of the whole page, copied to /tmp for a look."""
    for name, width, copy in (("desktop", 1280, SCREENSHOT_COPY), ("phone", 390, PHONE_SCREENSHOT_COPY)):
        driver.set_window_size(width, 900)
        for _ in range(3):  # the window's height includes its frame; the layout reflows
            frame = driver.get_window_size()["height"] - js(driver, "return window.innerHeight;")
            height = js(driver, "window.scrollTo(0, 0); return document.documentElement.scrollHeight;")
            driver.set_window_size(width, height + frame)
        assert js(driver, "return document.documentElement.scrollWidth <= window.innerWidth;"), \
            f"the page overflows sideways at {width} px"
        path = tmp_path / f"paint-animation-{name}.png"
        assert driver.save_screenshot(str(path))
        shutil.copyfile(path, copy)


# ---- tests -----------------------------------------------------------------

def test_paint_coffee_watch_download_then_refuse_a_text_file(server, browser, tmp_path):
    driver = browser
    driver.get(server.url + "/")
    assert "Paint Animation" in driver.title
    choose_file(driver, PHOTOS / "coffee.png")
    wait(driver).until(thumbnail_shown)
    set_duration(driver, "4")
    submit = driver.find_element(By.ID, "submit")
    submit.click()
    assert not submit.is_enabled()
    wait(driver, 60).until(lambda d: text_of(d, "status").startswith("Painting…"))
    wait_for_video(driver)
    assert submit.is_enabled()
    assert js(driver, "return document.getElementById('upload-progress').value") == 1

    check_playback(driver)
    name = check_download_link(driver, server)
    assert text_of(driver, "fact-length").startswith("4.0 s")
    successful = server.get_json("/api/stats")["successful_uploads"]
    wait(driver).until(lambda d: text_of(d, "stats").startswith(f"{successful} video"))
    assert console_errors(driver) == []

    js(driver, "const v = document.getElementById('preview'); v.pause(); v.currentTime = v.duration / 2;")
    wait(driver).until(lambda d: js(d, "return !document.getElementById('preview').seeking"))
    save_screenshots(driver, tmp_path)

    check_refusals(driver, server, tmp_path)
    assert driver.find_element(By.ID, "preview").get_attribute("src").endswith(name)


def check_playback(driver: WebDriver) -> None:
    """The video plays (currentTime advances), decodes frames and lasts 4 s within a frame."""
    js(driver, "const v = document.getElementById('preview'); v.pause(); v.currentTime = 0;")
    wait(driver).until(lambda d: js(d, "return !document.getElementById('preview').seeking"))
    started = driver.execute_async_script(
        "const done = arguments[arguments.length - 1], v = document.getElementById('preview');"
        "v.play().then(() => done(v.currentTime), (e) => done('play() failed: ' + e));")
    assert isinstance(started, (int, float)), started
    wait(driver, 10).until(lambda d: js(d, "return document.getElementById('preview').currentTime") > started + 0.5,
                           "currentTime did not advance while playing")
    facts = js(driver, "const v = document.getElementById('preview');"
                       "return [v.duration, v.videoWidth, v.videoHeight,"
                       "        v.getVideoPlaybackQuality().totalVideoFrames];")
    duration, width, height, frames = facts
    assert abs(duration - 4.0) <= 1.0 / RenderOptions().fps
    assert (width, height) == (600, 400)  # coffee.png is 600x400, within the default size
    assert frames > 0


def check_download_link(driver: WebDriver, server: LiveServer) -> str:
    """The link points at /api/download/<the video's name> and serves an MP4 attachment."""
    link = driver.find_element(By.ID, "download")
    assert link.is_displayed() and link.get_attribute("download") is not None
    match = re.fullmatch(re.escape(server.url) + r"/api/download/([0-9a-f-]{36}_output\.mp4)",
                         link.get_attribute("href"))
    assert match, link.get_attribute("href")
    name = match.group(1)
    assert driver.find_element(By.ID, "preview").get_attribute("src") == f"{server.url}/api/video/{name}"
    with urllib.request.urlopen(link.get_attribute("href"), timeout=30) as response:
        assert response.headers["Content-Type"] == "video/mp4"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.read(12)[4:8] == b"ftyp"
    return name


def check_refusals(driver: WebDriver, server: LiveServer, tmp_path: Path) -> None:
    """A .txt is refused before sending; a text file named .png by the API; the form stays usable."""
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list: coffee, milk\n")
    choose_file(driver, notes)
    wait_for_text(driver, "error", INVALID_FORMAT_MESSAGE)
    assert not thumbnail_shown(driver)

    failed_before = server.get_json("/api/stats")["failed_uploads"]
    fake = tmp_path / "holiday.png"
    fake.write_text("not really a picture\n")
    choose_file(driver, fake)
    wait_for_text(driver, "error", "")
    driver.find_element(By.ID, "submit").click()
    wait_for_text(driver, "error", INVALID_FORMAT_MESSAGE, seconds=60)
    assert server.get_json("/api/stats")["failed_uploads"] == failed_before + 1  # the API said it
    for element_id in ("submit", "file", "duration", "style"):
        assert driver.find_element(By.ID, element_id).is_enabled(), element_id
    errors = console_errors(driver)
    assert [entry for entry in errors if "/api/upload" not in entry["message"]] == []
    assert len(errors) == 1 and "400" in errors[0]["message"]


def test_a_dropped_picture_is_the_one_painted(server, browser):
    driver = browser
    driver.get(server.url + "/")
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const canvas = document.createElement('canvas');
        canvas.width = 320; canvas.height = 200;
        const context = canvas.getContext('2d');
        context.fillStyle = '#e8c547'; context.fillRect(0, 0, 320, 200);
        context.fillStyle = '#2a6fdb'; context.beginPath(); context.arc(160, 100, 70, 0, 7); context.fill();
        canvas.toBlob((blob) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([blob], 'dropped.png', {type: 'image/png'}));
            const zone = document.getElementById('dropzone');
            for (const type of ['dragenter', 'dragover', 'drop']) {
                zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
            }
            done();
        }, 'image/png');""")
    wait(driver).until(thumbnail_shown)
    assert text_of(driver, "file-name").startswith("dropped.png")
    set_duration(driver, "2")
    driver.find_element(By.ID, "submit").click()
    wait_for_video(driver)
    size = js(driver, "const v = document.getElementById('preview'); return [v.videoWidth, v.videoHeight];")
    assert size == [320, 200]
    assert console_errors(driver) == []


def test_keyboard_alone_reaches_every_control_with_visible_focus(server, browser):
    driver = browser
    driver.get(server.url + "/")
    order = []
    for _ in range(12):
        ActionChains(driver).send_keys(Keys.TAB).perform()  # a file input takes send_keys as a path
        focused = driver.switch_to.active_element
        order.append(focused.get_attribute("id") or focused.tag_name)
        ring = js(driver, "const e = document.activeElement;"
                          "const shown = e.id === 'file' ? document.getElementById('dropzone') : e;"
                          "const s = getComputedStyle(shown); return [s.outlineStyle, parseFloat(s.outlineWidth)];")
        assert ring[0] != "none" and ring[1] >= 2, (order[-1], ring)
        if order[-1] == "submit":
            break
    assert order == ["skip-link", "file", "style", "duration", "max-size", "show-tools", "summary", "submit"]
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for_text(driver, "error", "Choose a picture first.")
    assert driver.switch_to.active_element.get_attribute("id") == "file"


def test_size_and_rate_limit_errors_show_the_apis_words(strict_server, browser):
    driver = browser
    driver.get(strict_server.url + "/")
    assert "up to 0.25 MB" in text_of(driver, "file-hint")
    size_message = driver.find_element(By.ID, "paint-form").get_attribute("data-message-size")
    choose_file(driver, PHOTOS / "coffee.png")  # 456 KB: refused before sending
    wait_for_text(driver, "error", size_message)
    assert not thumbnail_shown(driver)

    # A page whose check lets it through (say, loaded before the limit was lowered): the API's 413.
    js(driver, "document.getElementById('paint-form').dataset.maxBytes = '1000000000';")
    choose_file(driver, PHOTOS / "coffee.png")
    wait(driver).until(thumbnail_shown)
    driver.find_element(By.ID, "submit").click()
    wait_for_text(driver, "error", size_message, seconds=60)
    assert strict_server.get_json("/api/stats")["failed_uploads"] == 1

    # The 413 used this minute's one upload: the next is refused with the API's 429 text.
    driver.find_element(By.ID, "submit").click()
    wait(driver, 60).until(lambda d: text_of(d, "error") not in ("", size_message))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(strict_server.url + "/api/upload", method="POST"))
    assert refused.value.code == 429
    assert text_of(driver, "error") == json.load(refused.value)["error"]
    assert driver.find_element(By.ID, "submit").is_enabled()
