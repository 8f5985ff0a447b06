"""End to end: the web page in Debian's Chromium, driven by Selenium, against real gunicorn.

Without Chromium these tests skip locally; under ``CI=true`` they fail instead (``.ci/run``
installs chromium and chromium-driver first). Helpers live in ``tests/browser.py``.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from algorithms.options import RenderOptions
from backend.errors import INVALID_FORMAT_MESSAGE
from tests.helpers.browser import (
    RENDER_TIMEOUT,
    api_stats,
    base_url,
    choose_file,
    console_errors,
    js,
    new_browser,
    require_chromium,
    save_screenshots,
    set_duration,
    text_of,
    thumbnail_shown,
    wait,
    wait_for_text,
    wait_for_video,
)
from tests.helpers.paths import PHOTOS
from tests.helpers.servers import LiveServer, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``make run``'s gunicorn for the module (its default limits)."""
    require_chromium()
    live = start_server(tmp_path_factory.mktemp("server"))
    yield live
    live.stop()


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    """One worker (exact rate-limit counts), a 0.25 MB request limit, one upload a minute."""
    require_chromium()
    live = start_server(
        tmp_path_factory.mktemp("strict-server"),
        WEB_CONCURRENCY="1",
        MAX_CONTENT_LENGTH=str(256 * 1024),
        RATELIMIT_ENABLED="true",
        RATELIMIT_UPLOAD="1 per minute",
    )
    yield live
    live.stop()


@pytest.fixture()
def browser(tmp_path):
    """A fresh headless Chromium per test (its own profile), quit afterwards."""
    require_chromium()
    driver = new_browser(tmp_path / "chromium-profile", tmp_path / "chromedriver.log")
    yield driver
    driver.quit()


def test_paint_coffee_watch_download_then_refuse_a_text_file(server, browser, tmp_path):
    driver = browser
    driver.get(base_url(server) + "/")
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
    successful = api_stats(server)["successful_uploads"]
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
        "v.play().then(() => done(v.currentTime), (e) => done('play() failed: ' + e));"
    )
    assert isinstance(started, (int, float)), started
    wait(driver, 10).until(
        lambda d: js(d, "return document.getElementById('preview').currentTime") > started + 0.5,
        "currentTime did not advance while playing",
    )
    facts = js(
        driver,
        "const v = document.getElementById('preview');"
        "return [v.duration, v.videoWidth, v.videoHeight,"
        "        v.getVideoPlaybackQuality().totalVideoFrames];",
    )
    duration, width, height, frames = facts
    assert abs(duration - 4.0) <= 1.0 / RenderOptions().fps
    assert (width, height) == (600, 400)  # coffee.png is 600x400, within the default size
    assert frames > 0


def check_download_link(driver: WebDriver, server: LiveServer) -> str:
    """The link points at /api/download/<the video's name> and serves an MP4 attachment."""
    link = driver.find_element(By.ID, "download")
    assert link.is_displayed() and link.get_attribute("download") is not None
    match = re.fullmatch(
        re.escape(base_url(server)) + r"/api/download/([0-9a-f-]{36}_output\.mp4)", link.get_attribute("href")
    )
    assert match, link.get_attribute("href")
    name = match.group(1)
    assert (
        driver.find_element(By.ID, "preview").get_attribute("src") == f"{base_url(server)}/api/video/{name}"
    )
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

    failed_before = api_stats(server)["failed_uploads"]
    fake = tmp_path / "holiday.png"
    fake.write_text("not really a picture\n")
    choose_file(driver, fake)
    wait_for_text(driver, "error", "")
    driver.find_element(By.ID, "submit").click()
    wait_for_text(driver, "error", INVALID_FORMAT_MESSAGE, seconds=60)
    assert api_stats(server)["failed_uploads"] == failed_before + 1  # the API said it
    for element_id in ("submit", "file", "duration", "style"):
        assert driver.find_element(By.ID, element_id).is_enabled(), element_id
    errors = console_errors(driver)
    assert [entry for entry in errors if "/api/upload" not in entry["message"]] == []
    assert len(errors) == 1 and "400" in errors[0]["message"]


def test_a_dropped_picture_is_the_one_painted(server, browser):
    driver = browser
    driver.get(base_url(server) + "/")
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
                zone.dispatchEvent(new DragEvent(type,
                    {dataTransfer: transfer, bubbles: true, cancelable: true}));
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


PROGRESS_SCREENSHOT = Path("/tmp/paint-animation-progress.png")


def test_a_long_render_shows_its_progress_bar_then_the_video(server, browser, tmp_path):
    driver = browser
    driver.set_window_size(1280, 900)
    driver.get(base_url(server) + "/")
    choose_file(driver, PHOTOS / "chelsea.png")
    wait(driver).until(thumbnail_shown)
    # 3,600 frames: even on a fast, quiet machine the render outlasts several of the page's
    # polls (twice a second), so the bar is seen to move; 900 frames took under 1.5 s.
    set_duration(driver, "60")
    js(driver, "document.getElementById('fps').value = '60';")  # a field of the folded options
    Select(driver.find_element(By.ID, "max-size")).select_by_value("1920")
    # What the bar and the status show, sampled every 100 ms by the page itself.
    js(
        driver,
        "window.seen = []; window.setInterval(() => {"
        " const bar = document.getElementById('render-progress');"
        " if (!bar.hidden) window.seen.push([bar.value, document.getElementById('status').textContent]);"
        "}, 100);",
    )
    driver.find_element(By.ID, "submit").click()
    wait(driver, RENDER_TIMEOUT).until(
        lambda d: js(d, "return window.seen.some(([value]) => value >= 0.3)"), "the bar never reached 30 %"
    )
    js(driver, "document.getElementById('render-progress').scrollIntoView({block: 'center'})")
    (tmp_path / "progress.png").write_bytes(driver.get_screenshot_as_png())
    PROGRESS_SCREENSHOT.write_bytes((tmp_path / "progress.png").read_bytes())
    wait_for_video(driver)
    seen = js(driver, "return window.seen")
    values = [value for value, _ in seen]
    assert values == sorted(values), "the bar went backwards"
    assert len({value for value in values if 0 < value < 1}) >= 3, values
    assert any(re.search(r"Painting… \d+ % · about \d+\s+s left", text) for _, text in seen), seen[-5:]
    assert js(driver, "return document.getElementById('render-progress').hidden") is True
    assert driver.find_element(By.ID, "preview").is_displayed()
    assert text_of(driver, "status").startswith("Done in")
    # Polls sent before the server has read the whole upload find no render yet (404).
    errors = [entry for entry in console_errors(driver) if "/api/progress/" not in entry["message"]]
    assert errors == []


def test_a_gif_is_shown_as_an_image_with_its_download(server, browser):
    driver = browser
    driver.get(base_url(server) + "/")
    choose_file(driver, PHOTOS / "chelsea.png")
    wait(driver).until(thumbnail_shown)
    set_duration(driver, "3")
    Select(driver.find_element(By.ID, "format")).select_by_value("gif")
    Select(driver.find_element(By.ID, "aspect")).select_by_value("1:1")
    driver.find_element(By.ID, "submit").click()
    wait(driver, RENDER_TIMEOUT).until(
        lambda d: (
            js(d, "const i = document.getElementById('preview-image'); return !i.hidden && i.complete")
            or text_of(d, "error")
        )
    )
    assert text_of(driver, "error") == ""
    size = js(
        driver, "const i = document.getElementById('preview-image'); return [i.naturalWidth, i.naturalHeight]"
    )
    assert size[0] == size[1] > 0  # square, as chosen
    assert not driver.find_element(By.ID, "preview").is_displayed()
    link = driver.find_element(By.ID, "download")
    assert link.text == "Download GIF" and link.get_attribute("href").endswith("_output.gif")
    reply = server.request("GET", urllib.parse.urlsplit(link.get_attribute("href")).path)
    assert reply.status == 200 and reply.headers["content-type"] == "image/gif"
    errors = [entry for entry in console_errors(driver) if "/api/progress/" not in entry["message"]]
    assert errors == []


def test_keyboard_alone_reaches_every_control_with_visible_focus(server, browser):
    driver = browser
    driver.get(base_url(server) + "/")
    order = []
    for _ in range(14):
        ActionChains(driver).send_keys(Keys.TAB).perform()  # a file input takes send_keys as a path
        focused = driver.switch_to.active_element
        order.append(focused.get_attribute("id") or focused.tag_name)
        ring = js(
            driver,
            "const e = document.activeElement;"
            "const shown = e.id === 'file' ? document.getElementById('dropzone') : e;"
            "const s = getComputedStyle(shown); return [s.outlineStyle, parseFloat(s.outlineWidth)];",
        )
        assert ring[0] != "none" and ring[1] >= 2, (order[-1], ring)
        if order[-1] == "submit":
            break
    assert order == [
        "skip-link",
        "file",
        "style",
        "duration",
        "max-size",
        "aspect",
        "format",
        "tool",
        "show-tools",
        "summary",
        "submit",
    ]
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    wait_for_text(driver, "error", "Choose a picture first.")
    assert driver.switch_to.active_element.get_attribute("id") == "file"


def test_the_footer_links_the_api_reference_which_renders_every_operation(server, browser):
    driver = browser
    driver.get(base_url(server) + "/")
    driver.find_element(By.ID, "api-docs-link").click()
    wait(driver).until(lambda d: d.current_url == base_url(server) + "/api/docs")
    described = json.loads(server.request("GET", "/api/openapi.json").body)["paths"]
    operations = {f"{method.upper()} {path}" for path, item in described.items() for method in item}
    blocks = ".opblock-summary-method, .opblock-summary-path"
    wait(driver, 30).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) == len(operations))
    shown = js(
        driver,
        "return [...document.querySelectorAll('.opblock-summary')].map(s => "
        "[...s.querySelectorAll(arguments[0])].map(e => e.textContent.trim()).join(' '));",
        blocks,
    )
    assert {text.replace("\u200b", "") for text in shown} == operations
    driver.find_element(By.CSS_SELECTOR, "#operations-render-upload .opblock-summary").click()
    wait(driver).until(lambda d: "max_size" in d.find_element(By.ID, "operations-render-upload").text)
    assert "A blank field" in driver.find_element(By.ID, "operations-render-upload").text
    assert console_errors(driver) == []


def test_size_and_rate_limit_errors_show_the_apis_words(strict_server, browser):
    driver = browser
    driver.get(base_url(strict_server) + "/")
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
    assert api_stats(strict_server)["failed_uploads"] == 1

    # The 413 used this minute's one upload: the next is refused with the API's 429 text.
    driver.find_element(By.ID, "submit").click()
    wait(driver, 60).until(lambda d: text_of(d, "error") not in ("", size_message))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(base_url(strict_server) + "/api/upload", method="POST"))
    assert refused.value.code == 429
    assert text_of(driver, "error") == json.load(refused.value)["error"]
    assert driver.find_element(By.ID, "submit").is_enabled()
