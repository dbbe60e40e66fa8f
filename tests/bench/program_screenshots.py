"""Screenshots of the program editor, the campaigns page and the counter's campaign line at 1366x768.

    python tests/bench/program_screenshots.py OUTDIR

Starts Xvfb with openbox (tests/ui/screen_walk.py's XServer) on the demo store, adds a Tuesday
double-points campaign and takes the whole screen: ``program-1366x768.png`` (the points program,
points as money on), ``program_id-1366x768.png`` (the same in Indonesian), ``campaigns-1366x768.png``
and ``counter_campaign-1366x768.png``.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench"), str(ROOT / "tests" / "ui")]

from _common import isolated_env  # noqa: E402
from screen_walk import Walk, screenshot_script  # noqa: E402

SIZE = (1366, 768)


def child(out: Path) -> int:
    from screenshots import Camera

    from terminal.domain.campaigns import Campaign, CampaignKind
    from terminal.domain.points_money import PointsMoney
    from terminal.services.demo import DEMO_OWNER, POINTS_CARDS
    from terminal.ui.owner_entry import owner_area_class

    isolated_env(Path(tempfile.mkdtemp(prefix="loyalty-shots-config-")))
    walk = Walk(Path(tempfile.mkdtemp(prefix="loyalty-shots-")))
    camera = Camera(walk, out, SIZE)
    services = walk.services
    try:
        owner_id = next(s.staff_id for s in services.staff.list() if s.name == DEMO_OWNER[0])
        owner = services.auth.verify_pin(owner_id, DEMO_OWNER[1])
        points = next(s.program for s in services.programs.summaries() if s.program.name == "Café Points")
        services.programs.save(owner, points.program_id, points_money=PointsMoney(100, 100, 50))
        today = services.ctx.clock.now().astimezone(services.ctx.store.tz)
        services.campaigns.add(owner, points.program_id, Campaign(
            "", "Double Tuesday", CampaignKind.MULTIPLIER, date(today.year, 1, 1), date(today.year + 1, 12, 31),
            weekdays=(1,), starts_at=time(9), ends_at=time(17), multiplier_percent=200))
        services.campaigns.add(owner, points.program_id, Campaign(
            "", "Happy hour", CampaignKind.MULTIPLIER, today.date(), today.date(), multiplier_percent=150))
        services.campaigns.add(owner, points.program_id, Campaign(
            "", "Big basket", CampaignKind.SPEND_BONUS, today.date(), date(today.year + 1, 1, 31), points=100,
            min_spend_minor=5000))
        window = walk.window
        window.show()
        walk.shown(window)
        walk._look_up(next(iter(POINTS_CARDS)))
        camera.save("counter_campaign", window)
        area = window.show_owner_area(owner_area_class(), "program")
        walk.settle(0.5)  # a page of the counter window now, not a window of its own
        page = area.pages["program"]
        walk.settle(0.5)
        page.program_choice.setCurrentIndex(page.program_choice.findData(points.program_id))
        walk.settle(0.5)
        camera.save("program", area)
        area.show_page("campaigns")
        walk.settle(0.5)
        campaigns = area.pages["campaigns"]
        campaigns.program_choice.setCurrentIndex(campaigns.program_choice.findData(points.program_id))
        campaigns.name.setText("Weekend double points")
        walk.settle(0.5)
        camera.save("campaigns", area)
        walk.translations.set_language("id")
        walk.settle(0.5)
        area.show_page("program")
        walk.settle(0.5)
        page = area.pages["program"]
        page.program_choice.setCurrentIndex(page.program_choice.findData(points.program_id))
        walk.settle(0.5)
        camera.save("program_id", area)
        walk.translations.set_language("en")
        area.close()
    finally:
        walk.close()
    return 0


if __name__ == "__main__":
    sys.exit(screenshot_script(__file__, __doc__, SIZE, child))
