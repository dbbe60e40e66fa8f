"""Screenshots of the owner's customer page and period report at 1366x768 (issue 11).

    python tests/bench/backoffice_screenshots.py OUTDIR

Starts Xvfb with openbox (tests/ui/screen_walk.py's XServer) on the demo store, where Chloé
Martin's card was blocked and its balance and tier moved to a new card, and takes the whole
screen: ``customers-1366x768.png`` (her new card), ``customers_block-1366x768.png`` (the block
question for Dewi Lestari's card), ``period_report-1366x768.png`` (this month) and their
Indonesian twins ``customers_id``/``period_report_id``. The program editor and a campaign are
tests/bench/program_screenshots.py's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench"), str(ROOT / "tests" / "ui")]

from _common import isolated_env  # noqa: E402
from screen_walk import Walk, screenshot_script  # noqa: E402

SIZE = (1366, 768)


def _open_customer(walk: Walk, page, text: str, code: str) -> None:
    page.search.field.setText(text)
    page.search.search_now()
    walk.wait_until(lambda: any(m.code == code for m in page.search.matches), "the search results")
    walk.settle(0.5)  # the first match opens by itself; then the one wanted
    page.open_card(code)
    walk.wait_until(lambda: page.view is not None and page.view.card.code == code, "the customer")
    walk.settle(0.5)


def child(out: Path) -> int:
    from screenshots import Camera

    from terminal.domain.codes import new_code
    from terminal.services.demo import DEMO_OWNER, POINTS_CARDS
    from terminal.ui.owner_entry import owner_area_class

    lower = bool(os.environ.get("LOYALTY_SHOTS_LOWER"))  # before isolated_env sets the environment anew
    isolated_env(Path(tempfile.mkdtemp(prefix="loyalty-shots-config-")))
    walk = Walk(Path(tempfile.mkdtemp(prefix="loyalty-shots-")))
    camera = Camera(walk, out, SIZE)
    services = walk.services
    try:
        owner_id = next(s.staff_id for s in services.staff.list() if s.name == DEMO_OWNER[0])
        owner = services.auth.verify_pin(owner_id, DEMO_OWNER[1])
        chloe, dewi = (code for code, _name in POINTS_CARDS.items())
        services.card_status.block(owner, chloe, "Lost on the bus")
        fresh = new_code()
        services.replace.replace(owner, chloe, fresh, "Lost on the bus")
        services.counter.earn(owner, fresh, 2000)
        window = walk.window
        window.show()
        walk.shown(window)
        for language in ("en", "id"):
            walk.translations.set_language(language)
            walk.settle(0.3)
            area = window.show_owner_area(owner_area_class(), "customers")  # the one shown, after a language change
            walk.settle(0.5)
            page = area.pages["customers"]
            _open_customer(walk, page, "chloe", fresh)
            camera.save("customers" if language == "en" else "customers_id", area)
            if language == "en":
                _open_customer(walk, page, "dewi", dewi)
                page.tabs.setCurrentIndex(2)
                page.reason_field.setText("Lost at the market")
                page.block_button.click()
                walk.wait_until(lambda page=page: page.confirmation is not None and page.confirmation.isVisible(),
                                "the block question")
                walk.settle(0.5)
                camera.save("customers_block", page.confirmation)
                page.confirmation.reject()
                walk.settle(0.3)
                page.tabs.setCurrentIndex(0)
            area.show_page("report")
            report = area.pages["report"]
            walk.settle(0.3)
            report.refresh()
            walk.wait_until(lambda report=report: report.report is not None, "the report")
            walk.settle(0.8)
            camera.save("period_report" if language == "en" else "period_report_id", area)
            if lower:  # the lower half too, to check it (LOYALTY_SHOTS_LOWER=1; not kept in docs)
                scroller = report.parentWidget().parentWidget()
                scroller.verticalScrollBar().setValue(scroller.verticalScrollBar().maximum())
                walk.settle(0.5)
                camera.save(f"period_report_lower_{language}", area)
                scroller.verticalScrollBar().setValue(0)
        walk.translations.set_language("en")
    finally:
        walk.close()
    return 0


if __name__ == "__main__":
    sys.exit(screenshot_script(__file__, __doc__, SIZE, child,
                               {"LOYALTY_SHOTS_LOWER": os.environ.get("LOYALTY_SHOTS_LOWER", "")}))
