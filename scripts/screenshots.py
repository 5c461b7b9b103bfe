"""Screenshots of every explorer page in headless Chromium, to look at as a user would.

    python scripts/screenshots.py [--out /tmp/shots] [--db data/metadossier.sqlite]

Starts `metadossier serve` on a free port (the store of $METADOSSIER_DB or --db), opens each page
(a search, a precedent, a report item, …) and saves one PNG per page, full height, in --out
(outside git). Needs Debian's chromium and chromium-driver and selenium (the dev extra).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PAGES: dict[str, dict[str, str]] = {
    "zoeken": {"p": "zoeken"},
    "zoeken_wachtlijsten": {"p": "zoeken", "q": "wachtlijsten"},
    "precedent": {"p": "precedent",
                  "tekst": "Investeer in de samenwerking tussen huisartsen en het wijkteam"},
    "themas": {"p": "themas"},
    "synthese": {"p": "synthese"},
    "rapport": {"p": "rapport", "rapport": "raalte_2019", "item": "raalte_2019:A1"},
    "rapport_import": {"p": "rapport", "rapport": "gezamenlijke_rekenkamercommissie_noardea_2023_a4138335"},
    "overzicht": {"p": "overzicht"},
    "correctie": {"p": "correctie", "item": "raalte_2019:A5"},
    "invoer": {"p": "invoer"},
    "invoer_voorvertoning": {"p": "invoer", "upload": "corpus/layouts/pdf/{first}"},
}
"""Per screenshot the URL's query; `upload` names a PDF (under the project) to drop on the Invoer page first."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(command: list[str], env: dict[str, str], port: int, what: str, timeout: float = 180) -> Iterator[str]:
    """A Streamlit server that `command` starts on `port` in a child process; yields its URL once healthy,
    stops it afterwards."""
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{what} did not start")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def serve(db: str | None, port: int) -> Iterator[str]:
    """`metadossier serve` in a child process; yields its URL once healthy, stops it afterwards."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if db:
        env["METADOSSIER_DB"] = db
    with served([sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port)], env, port, "the explorer") as url:
        yield url


def browser(width: int = 1400, height: int = 1000) -> object:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--window-size={width},{height}", "--lang=nl-NL"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_until_rendered(driver: object, timeout: float = 90) -> None:
    """Until the page has content and Streamlit no longer runs the script."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + timeout
    time.sleep(0.3)
    while time.monotonic() < deadline:
        running = driver.find_elements(  # type: ignore[attr-defined]
            By.CSS_SELECTOR, "[data-testid='stStatusWidget'], [data-testid='stSkeleton'], [data-testid='stSkeletonElement']")
        headers = driver.find_elements(By.CSS_SELECTOR, "[data-testid='stMainBlockContainer'] h2")  # type: ignore[attr-defined]
        if headers and not running:
            return
        time.sleep(0.1)


def upload_file(driver: object, pattern: str) -> None:
    """Drop a PDF on the first file uploader and wait for its preview."""
    from selenium.webdriver.common.by import By

    folder = ROOT / Path(pattern).parent
    pdf = sorted(folder.glob("*.pdf"))[0] if "{first}" in pattern else ROOT / pattern
    field = driver.find_elements(By.CSS_SELECTOR, "input[type='file']")[0]  # type: ignore[attr-defined]
    field.send_keys(str(pdf))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if driver.find_elements(By.XPATH, "//button[contains(., 'Opslaan')]") or \
                driver.find_elements(By.CSS_SELECTOR, "[data-testid='stAlertContentError']"):  # type: ignore[attr-defined]
            break
        time.sleep(0.3)
    wait_until_rendered(driver)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/shots")
    parser.add_argument("--db", default=None)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with serve(args.db, free_port()) as url:
        driver = browser()
        try:
            for name in args.pages:
                query = dict(PAGES[name])
                upload = query.pop("upload", "")
                driver.get(f"{url}/?{urlencode(query)}")  # type: ignore[attr-defined]
                wait_until_rendered(driver)
                if upload:
                    upload_file(driver, upload)
                time.sleep(1.0)  # images and charts draw after the script ends
                height = driver.execute_script(  # type: ignore[attr-defined]
                    "const m = document.querySelector('[data-testid=\"stMain\"]');"
                    "return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight)")
                driver.set_window_size(1400, min(max(int(height) + 40, 900), 6000))  # type: ignore[attr-defined]
                time.sleep(0.5)
                path = out / f"{name}.png"
                driver.save_screenshot(str(path))  # type: ignore[attr-defined]
                driver.set_window_size(1400, 1000)  # type: ignore[attr-defined]
                print(path)
        finally:
            driver.quit()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
