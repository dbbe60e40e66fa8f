"""Campaigns in words, in the window's language: "Double points until 17:00"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate

from terminal.domain.campaigns import Campaign, CampaignKind
from terminal.domain.programs import format_multiplier
from terminal.services.campaigns import RunningCampaign
from terminal.ui.context import money, window_locale


def multiplier(percent: int) -> str:
    """A multiplier with the window's decimal sign: 1.25 in English, 1,25 in Indonesian, after the sign."""
    return format_multiplier(percent).replace(".", window_locale().decimalPoint())


def what(campaign: Campaign, currency: str) -> str:
    """What the campaign gives: "Double points", "+50 points per purchase", "+1 extra stamp"."""
    c = campaign
    if c.kind is CampaignKind.MULTIPLIER:
        if c.multiplier_percent == 200:
            return QCoreApplication.translate("CampaignText", "Double points")
        if c.multiplier_percent == 300:
            return QCoreApplication.translate("CampaignText", "Triple points")
        return QCoreApplication.translate("CampaignText", "Points %1").replace(
            "%1", multiplier(c.multiplier_percent))
    if c.kind is CampaignKind.FIXED_BONUS:
        return QCoreApplication.translate("CampaignText", "+%1 points per purchase").replace("%1", str(c.points))
    if c.kind is CampaignKind.SPEND_BONUS:
        return (QCoreApplication.translate("CampaignText", "+%1 points from %2").replace("%1", str(c.points))
                .replace("%2", money(c.min_spend_minor, currency)))
    if c.kind is CampaignKind.EXTRA_STAMP:
        return (QCoreApplication.translate("CampaignText", "+1 extra stamp") if c.stamps == 1
                else QCoreApplication.translate("CampaignText", "+%1 extra stamps").replace("%1", str(c.stamps)))
    gift = _gift(c)
    if c.kind is CampaignKind.FIRST_VISIT:
        return QCoreApplication.translate("CampaignText", "First visit: %1").replace("%1", gift)
    return QCoreApplication.translate("CampaignText", "Birthday: %1").replace("%1", gift)


def _gift(c: Campaign) -> str:
    parts = []
    if c.points:
        parts.append(QCoreApplication.translate("CampaignText", "+%1 points").replace("%1", str(c.points)))
    if c.stamps:
        parts.append(QCoreApplication.translate("CampaignText", "+%1 stamps").replace("%1", str(c.stamps)))
    return ", ".join(parts)


def until(when: datetime, now: datetime) -> str:
    """ "17:00" when the window closes today, else the day it closes ("Sun 15 Mar"); both in store time."""
    local, today, tz = when, now, when.tzinfo
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.hour == 0 and local.minute == 0:  # the end of the day before: "until Sunday" means Sunday inclusive
        local = datetime.fromordinal(local.toordinal() - 1).replace(tzinfo=tz)
        if local.date() == today.date():
            return QCoreApplication.translate("CampaignText", "midnight")
    return window_locale().toString(QDate(local.year, local.month, local.day), "ddd d MMM")


def running_line(campaigns: Iterable[RunningCampaign]) -> str:
    """The counter's lines: every campaign running now with when it stops, one a line."""
    template = QCoreApplication.translate("CampaignText", "%1 until %2")
    return "\n".join(template.replace("%1", what(r.campaign, r.currency))
                             .replace("%2", until(r.until, r.now)) for r in campaigns)


def kind_name(kind: CampaignKind) -> str:
    return {
        CampaignKind.MULTIPLIER: QCoreApplication.translate("CampaignText", "Points multiplier"),
        CampaignKind.FIXED_BONUS: QCoreApplication.translate("CampaignText", "Bonus points per purchase"),
        CampaignKind.SPEND_BONUS: QCoreApplication.translate("CampaignText", "Bonus for spending at least"),
        CampaignKind.EXTRA_STAMP: QCoreApplication.translate("CampaignText", "Extra stamp"),
        CampaignKind.FIRST_VISIT: QCoreApplication.translate("CampaignText", "First-visit bonus"),
        CampaignKind.BIRTHDAY: QCoreApplication.translate("CampaignText", "Birthday bonus"),
    }[kind]
