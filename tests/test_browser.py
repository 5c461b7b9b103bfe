"""End to end: the real Streamlit server, driven by headless Chromium (Debian's chromium + chromedriver)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT, Settings
from tests.conftest import require_optional

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = Path(os.environ.get("METADOSSIER_SCREENSHOTS", PROJECT_ROOT / "build" / "screenshots"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(labelled_store: Settings) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "METADOSSIER_DB": str(labelled_store.db_path),
           "METADOSSIER_ANNOTATIONS": str(labelled_store.annotations_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port)],  # what `make demo` runs
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"streamlit did not start:\n{output[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        require_optional("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        require_optional("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1800", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for_text(driver: object, text: str, timeout: float = 90) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(ec.text_to_be_present_in_element((By.TAG_NAME, "body"), text))


def test_search_in_a_real_browser(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    driver.get(f"{server}/?p=zoeken")  # type: ignore[attr-defined]
    _wait_for_text(driver, "Zoek in bevindingen")
    box = driver.find_element(By.CSS_SELECTOR, "input[aria-label^='Zoek in bevindingen']")  # type: ignore[attr-defined]
    box.send_keys("financiering Centrum voor Jeugd en Gezin", Keys.ENTER)
    _wait_for_text(driver, "Zorg als raad voor continuïteit van financiering")
    # The first ten hits are drawn; the second advice compared with lies beyond them.
    driver.find_element(By.XPATH, "//button[contains(., 'Toon meer resultaten')]").click()  # type: ignore[attr-defined]
    _wait_for_text(driver, "Vraag als raad het college")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "zoeken.png"
    assert driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 20_000
    body = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert body.index("Zorg als raad voor continuïteit") < body.index("Vraag als raad het college")
    # The search lives in the URL, so it can be shared.
    assert "q=financiering" in driver.current_url  # type: ignore[attr-defined]


def test_export_downloads_the_current_results_as_csv(server: str, browser: object, tmp_path: Path) -> None:
    """The export files are made only when clicked (deferred); the download must still arrive whole."""
    from selenium.webdriver.common.by import By

    driver = browser
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",  # type: ignore[attr-defined]
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.get(f"{server}/?p=zoeken&q=financiering+Centrum+voor+Jeugd+en+Gezin&gemeenten=Raalte")  # type: ignore[attr-defined]
    _wait_for_text(driver, "Exporteer CSV")
    button = driver.find_element(By.XPATH, "//*[self::button or self::a][contains(., 'Exporteer CSV')]")  # type: ignore[attr-defined]
    button.click()
    deadline = time.monotonic() + 60
    while not [p for p in downloads.glob("*.csv")] and time.monotonic() < deadline:
        time.sleep(0.3)
    files = list(downloads.glob("*.csv"))
    assert files, "no CSV arrived"
    text = files[0].read_text(encoding="utf-8-sig")
    assert "Zorg als raad voor continuïteit van financiering" in text
    assert "Raalte" in text and "Apeldoorn" not in text  # the filtered selection, not the whole store


def test_report_page_shows_the_highlighted_pdf_page(server: str, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(f"{server}/?p=rapport&rapport=raalte_2019&item=raalte_2019%3AA1")  # type: ignore[attr-defined]
    _wait_for_text(driver, "pagina 10 (item gemarkeerd)")
    images = driver.find_elements(By.CSS_SELECTOR, "img")  # type: ignore[attr-defined]
    assert any((img.size.get("width") or 0) > 300 for img in images)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(SCREENSHOTS / "rapport.png"))  # type: ignore[attr-defined]
