"""All use cases of one terminal, built from a data dir and settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from terminal.domain.clock import Clock, SystemClock
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.auth import Authenticator
from terminal.services.campaigns import CampaignService
from terminal.services.card_status import CardStatusService
from terminal.services.context import ServiceContext
from terminal.services.counter import CounterService
from terminal.services.customers import CustomersService
from terminal.services.daily_report import DailyReportService
from terminal.services.enrollment import EnrollmentService
from terminal.services.offline_risk import OfflineRiskService
from terminal.services.overdrafts import OverdraftService
from terminal.services.owner import OwnerService
from terminal.services.owner_views import OwnerViews
from terminal.services.pin_hasher import PinHasher
from terminal.services.points_payment import PointsPaymentService
from terminal.services.programs import ProgramService
from terminal.services.replace import ReplaceService
from terminal.services.reports import ReportService
from terminal.services.setup import init_store
from terminal.services.staff import StaffService
from terminal.settings import Settings, load_settings, resolve_config_dir
from terminal.store.chain_key import SESSION_KEY, ChainSigner
from terminal.store.db import open_database
from terminal.store.secret_key import load_secret_key


@dataclass
class Services:
    ctx: ServiceContext
    auth: Authenticator
    counter: CounterService
    owner: OwnerService
    staff: StaffService
    enrollment: EnrollmentService
    reports: ReportService
    daily_report: DailyReportService
    owner_views: OwnerViews
    offline_risk: OfflineRiskService
    overdrafts: OverdraftService
    programs: ProgramService
    campaigns: CampaignService
    points_payment: PointsPaymentService
    customers: CustomersService
    card_status: CardStatusService
    replace: ReplaceService

    @property
    def initialised(self) -> bool:
        try:
            self.ctx.store  # noqa: B018
        except LoyaltyError as exc:  # only "no store yet": a broken database must not look like a new one
            if exc.code is not ErrorCode.STORE_NOT_INITIALISED:
                raise
            return False
        return True

    def init_store(self, **kwargs) -> str:  # noqa: ANN003
        return init_store(self.ctx, lambda store_id: self._hasher(store_id, create=True), **kwargs)

    def _hasher(self, store_id: str, create: bool) -> PinHasher:
        s = self.ctx.settings
        key = load_secret_key(store_id, s.secret_backend, resolve_config_dir(s), create=create)
        return PinHasher(key, s.pin_time_cost, s.pin_memory_kib, s.pin_parallelism)

    def close(self) -> None:
        self.ctx.db.close()


def open_services(data_dir: Path, settings: Settings | None = None, clock: Clock | None = None) -> Services:
    settings = settings or load_settings(data_dir)
    ctx = ServiceContext(open_database(data_dir), settings, clock or SystemClock())
    ctx.db.session_info[SESSION_KEY] = ChainSigner(settings.secret_backend, resolve_config_dir(settings))
    auth = Authenticator(ctx)
    counter = CounterService(auth)
    services = Services(ctx, auth, counter, OwnerService(auth), StaffService(auth),
                        EnrollmentService(auth, counter), ReportService(auth), DailyReportService(ctx),
                        OwnerViews(ctx, counter), OfflineRiskService(auth), OverdraftService(auth),
                        ProgramService(auth), CampaignService(auth), PointsPaymentService(counter),
                        CustomersService(auth, counter), CardStatusService(auth), ReplaceService(auth))
    if services.initialised:
        ctx.hasher = services._hasher(ctx.store.store_id, create=False)
    return services
