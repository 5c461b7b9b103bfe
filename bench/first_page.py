"""How soon the explorer's first page is usable in a real browser, warm (a figure, not a test).

    python bench/first_page.py [--db data/metadossier.sqlite] [--runs 5] [--page invoer] [--floor]

Starts `metadossier serve` (which loads the items, embeddings and model before it listens), opens
the first page once to warm the browser and the server, then loads it again `--runs` times in a
fresh tab and times from navigation until the search box, the export buttons and the first
results are drawn and Streamlit has stopped running the script. Prints each run and the median.
`--floor` times a Streamlit app of one title and one text input instead, served with the same
options from the same folder and loaded the same way: what any Streamlit page costs on this machine
now (it varies with the machine's load; see `uptime`).
Needs Debian's chromium and chromium-driver and selenium (the dev extra).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from screenshots import browser, free_port, serve, served  # noqa: E402

from pipeline.cli_explore import streamlit_flags  # noqa: E402

TARGET_SECONDS = 2.0
FLOOR_APP = """import streamlit as st
st.title("metadossier")
st.text_input("Zoek in bevindingen, conclusies en aanbevelingen")
"""


def usable(driver: object, page: str = "zoeken") -> bool:
    """Zoeken: the search box, the export buttons and the first results drawn; another page: its heading;
    and Streamlit no longer running the script nor loading a widget."""
    from selenium.webdriver.common.by import By

    find = driver.find_elements  # type: ignore[attr-defined]
    if page == "floor":
        return bool(find(By.CSS_SELECTOR, "input[aria-label^='Zoek in bevindingen']")
                    and not find(By.CSS_SELECTOR, "[data-testid='stStatusWidget'], [data-testid='stSkeleton'],"
                                                  " [data-testid='stSkeletonElement']"))
    if page != "zoeken":
        return bool(find(By.CSS_SELECTOR, "[data-testid='stMainBlockContainer'] h2")
                    and not find(By.CSS_SELECTOR, "[data-testid='stStatusWidget'], [data-testid='stSkeleton'],"
                                                  " [data-testid='stSkeletonElement']"))
    return bool(find(By.CSS_SELECTOR, "input[aria-label^='Zoek in bevindingen']")
                and find(By.XPATH, "//*[contains(., 'Exporteer Excel')]")
                and find(By.XPATH, "//*[@data-testid='stCaptionContainer'][contains(., 'label door')]")
                and not find(By.CSS_SELECTOR, "[data-testid='stStatusWidget'], [data-testid='stSkeleton'],"
                                              " [data-testid='stSkeletonElement']"))


def time_first_page(driver: object, url: str, page: str = "zoeken", timeout: float = 60) -> float:
    driver.switch_to.new_window("tab")  # type: ignore[attr-defined]
    start = time.perf_counter()
    driver.get(url)  # type: ignore[attr-defined]
    while not usable(driver, page):
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"the first page was not usable after {timeout:.0f} s")
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    driver.close()  # type: ignore[attr-defined]
    driver.switch_to.window(driver.window_handles[0])  # type: ignore[attr-defined]
    return elapsed


@contextmanager
def serve_floor(port: int) -> Iterator[str]:
    """FLOOR_APP under `streamlit run` with serve's options, from the project folder (its .streamlit/config.toml,
    as `served` starts it there)."""
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / "floor.py"
        app.write_text(FLOOR_APP, encoding="utf-8")
        command = [sys.executable, "-m", "streamlit", "run", str(app)]
        for key, value in streamlit_flags(port).items():
            command += [f"--{key}", str(value).lower() if isinstance(value, bool) else str(value)]
        with served(command, dict(os.environ), port, "the floor app", timeout=60) as url:
            yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", default="zoeken", help="zoeken (the first page), or another page to compare")
    parser.add_argument("--floor", action="store_true", help="time a one-title, one-text-input Streamlit app instead")
    args = parser.parse_args()
    if args.floor:
        args.page = "floor"
    with (serve_floor(free_port()) if args.floor else serve(args.db, free_port())) as url:
        driver = browser()
        try:
            page = url + "/" if args.floor else f"{url}/?p={args.page}"
            cold = time_first_page(driver, page, args.page)
            runs = [time_first_page(driver, page, args.page) for _ in range(args.runs)]
        finally:
            driver.quit()  # type: ignore[attr-defined]
    median = statistics.median(runs)
    print(f"{args.page} usable: first load {cold:.2f} s; warm runs " + ", ".join(f"{r:.2f}" for r in runs)
          + f" s; median {median:.2f} s (target < {TARGET_SECONDS:.0f} s: {'met' if median < TARGET_SECONDS else 'NOT met'})")


if __name__ == "__main__":
    main()
