"""The console's words in English and Indonesian.

Templates call ``t("key")``; tests/sync/test_console_i18n.py checks every key
a template or route uses is here in both languages. The language is the
owner's choice (a cookie set by the switch), else the browser's
Accept-Language, else English.
"""

from __future__ import annotations

import importlib
import pkgutil

from sync.hub.console import words

LANGUAGES = ("en", "id")
LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "app_name": "Loyalty hub",
        "nav_dashboard": "Dashboard",
        "nav_stores": "Stores and tills",
        "nav_cards": "Cards",
        "nav_overdrafts": "Overdrafts",
        "sign_in": "Sign in",
        "sign_in_title": "Sign in to the loyalty hub",
        "email": "Email",
        "password": "Password",
        "totp_code": "Authenticator code",
        "totp_hint": "Only if your account has a second factor",
        "sign_out": "Sign out",
        "sign_out_everywhere": "Sign out everywhere",
        "signed_out_everywhere": "Signed out on every device.",
        "wrong_credentials": "Wrong email, password or code. Check them and try again.",
        "too_many_attempts": "Too many sign-in attempts. Wait {minutes} minutes and try again.",
        "csrf_refused": "This form has expired or did not come from this console. "
                        "Go back, reload the page and send it again.",
        "not_found": "Not found at this merchant.",
        "language": "Language",
        "switch": "Switch",
        "today": "Today",
        "last_30_days": "Last 30 days",
        "stamps_given": "Stamps given",
        "points_earned": "Points earned",
        "points_spent": "Points spent",
        "redemptions": "Redemptions",
        "cards_active": "Active cards",
        "cards_new": "New cards",
        "chart_stamps": "Stamps given per day, last 30 days",
        "chart_points": "Points earned per day, last 30 days",
        "stamps": "Stamps",
        "points": "Points",
        "tills": "Tills",
        "till": "Till",
        "store": "Store",
        "online": "Online",
        "offline": "Offline",
        "revoked": "Revoked",
        "last_sync": "Last sync",
        "never": "never",
        "pending": "Pending entries",
        "clock_difference": "Clock difference",
        "app_version": "App version",
        "unknown": "unknown",
        "seconds": "{n} s",
        "no_stores": "No stores yet. Create one under Stores and tills.",
        "no_tills": "No tills paired with this store yet.",
        "new_store": "New store",
        "store_name": "Store name",
        "create_store": "Create store",
        "store_created": "Store created.",
        "new_till": "Pair a new till",
        "till_name": "Till name",
        "create_pairing": "Make a pairing code",
        "pairing_code": "Pairing code",
        "pairing_help": "On the new till, choose Join a hub and type this code (the QR holds the same "
                        "code). It works once, until {until}.",
        "revoke": "Revoke",
        "revoke_confirm": "End this till's access now? Its data stays on the till.",
        "till_revoked": "Till revoked: its token is refused from now on.",
        "synced_through": "Entries through",
        "card_search": "Find a card",
        "search": "Search",
        "no_cards_found": "No card matches.",
        "code": "Code",
        "holder": "Holder",
        "status": "Status",
        "balance": "Balance",
        "program": "Program",
        "enrolled": "Enrolled",
        "history": "History",
        "when": "When",
        "kind": "Kind",
        "change": "Change",
        "after": "Balance after",
        "reason": "Reason",
        "no_entries": "No entries yet.",
        "show_all": "Newest {shown} of {total} shown: show all",
        "overdrafts_title": "Cards overdrawn when tills' entries met",
        "no_overdrafts": "No overdrafts. Nothing to resolve.",
        "flagged": "Flagged",
        "entries_involved": "Entries",
        "resolved": "Resolved",
        "open": "Open",
        "resolve": "Mark resolved",
        "note": "Note",
        "note_required": "Write a note saying how it was resolved (1 to 500 characters).",
        "overdraft_resolved": "Overdraft marked resolved.",
        "back": "Back",
        "account": "Account",
        "second_factor": "Second factor (authenticator app)",
        "totp_is_on": "On: signing in asks for the code from your authenticator app.",
        "totp_setup": "Scan this QR with an authenticator app (or type the key), then enter the code it shows.",
        "totp_key": "Key",
        "turn_on": "Turn on",
        "totp_on": "Second factor turned on.",
        "totp_wrong": "That code is not right for this key. Check the app's clock and try the new code.",
        "owners": "Owners of this business",
        "add_owner": "Add an owner",
        "owner_added": "Owner added: they can sign in now.",
        "password_rules": "At least 10 characters",
        "error_title": "Something is wrong",
        "field_error": "Check this field: {problem}",
        "kind_enroll": "Enrolled",
        "kind_stamp": "Stamp",
        "kind_stamp_redeem": "Stamp reward",
        "kind_earn": "Points earned",
        "kind_redeem": "Reward",
        "kind_adjust": "Adjustment",
        "kind_void": "Void",
        "kind_expire": "Expired",
        "kind_bonus": "Campaign bonus",
        "kind_transfer_out": "Moved to new card",
        "kind_transfer_in": "Moved from old card",
        "status_active": "Active",
        "status_suspended": "Suspended",
        "status_blocked": "Blocked",
    },
    "id": {
        "app_name": "Hub loyalitas",
        "nav_dashboard": "Dasbor",
        "nav_stores": "Toko dan kasir",
        "nav_cards": "Kartu",
        "nav_overdrafts": "Saldo minus",
        "sign_in": "Masuk",
        "sign_in_title": "Masuk ke hub loyalitas",
        "email": "Email",
        "password": "Kata sandi",
        "totp_code": "Kode autentikator",
        "totp_hint": "Hanya jika akun Anda memakai faktor kedua",
        "sign_out": "Keluar",
        "sign_out_everywhere": "Keluar dari semua perangkat",
        "signed_out_everywhere": "Sudah keluar dari semua perangkat.",
        "wrong_credentials": "Email, kata sandi, atau kode salah. Periksa lalu coba lagi.",
        "too_many_attempts": "Terlalu banyak percobaan masuk. Tunggu {minutes} menit lalu coba lagi.",
        "csrf_refused": "Formulir ini sudah kedaluwarsa atau tidak berasal dari konsol ini. "
                        "Kembali, muat ulang halaman, lalu kirim lagi.",
        "not_found": "Tidak ditemukan di merchant ini.",
        "language": "Bahasa",
        "switch": "Ganti",
        "today": "Hari ini",
        "last_30_days": "30 hari terakhir",
        "stamps_given": "Stempel diberikan",
        "points_earned": "Poin diperoleh",
        "points_spent": "Poin dipakai",
        "redemptions": "Penukaran",
        "cards_active": "Kartu aktif",
        "cards_new": "Kartu baru",
        "chart_stamps": "Stempel diberikan per hari, 30 hari terakhir",
        "chart_points": "Poin diperoleh per hari, 30 hari terakhir",
        "stamps": "Stempel",
        "points": "Poin",
        "tills": "Kasir",
        "till": "Kasir",
        "store": "Toko",
        "online": "Daring",
        "offline": "Luring",
        "revoked": "Dicabut",
        "last_sync": "Sinkron terakhir",
        "never": "belum pernah",
        "pending": "Entri tertunda",
        "clock_difference": "Selisih jam",
        "app_version": "Versi aplikasi",
        "unknown": "tidak diketahui",
        "seconds": "{n} dtk",
        "no_stores": "Belum ada toko. Buat di Toko dan kasir.",
        "no_tills": "Belum ada kasir yang dipasangkan dengan toko ini.",
        "new_store": "Toko baru",
        "store_name": "Nama toko",
        "create_store": "Buat toko",
        "store_created": "Toko dibuat.",
        "new_till": "Pasangkan kasir baru",
        "till_name": "Nama kasir",
        "create_pairing": "Buat kode pemasangan",
        "pairing_code": "Kode pemasangan",
        "pairing_help": "Di kasir baru, pilih Gabung ke hub lalu ketik kode ini (QR berisi kode yang "
                        "sama). Berlaku sekali, sampai {until}.",
        "revoke": "Cabut",
        "revoke_confirm": "Akhiri akses kasir ini sekarang? Datanya tetap ada di kasir.",
        "till_revoked": "Kasir dicabut: tokennya ditolak mulai sekarang.",
        "synced_through": "Entri sampai",
        "card_search": "Cari kartu",
        "search": "Cari",
        "no_cards_found": "Tidak ada kartu yang cocok.",
        "code": "Kode",
        "holder": "Pemegang",
        "status": "Status",
        "balance": "Saldo",
        "program": "Program",
        "enrolled": "Terdaftar",
        "history": "Riwayat",
        "when": "Waktu",
        "kind": "Jenis",
        "change": "Perubahan",
        "after": "Saldo setelahnya",
        "reason": "Alasan",
        "no_entries": "Belum ada entri.",
        "show_all": "Menampilkan {shown} terbaru dari {total}: tampilkan semua",
        "overdrafts_title": "Kartu bersaldo minus saat entri dari beberapa kasir bertemu",
        "no_overdrafts": "Tidak ada saldo minus. Tidak ada yang perlu diselesaikan.",
        "flagged": "Ditandai",
        "entries_involved": "Entri",
        "resolved": "Selesai",
        "open": "Terbuka",
        "resolve": "Tandai selesai",
        "note": "Catatan",
        "note_required": "Tulis catatan cara penyelesaiannya (1 sampai 500 karakter).",
        "overdraft_resolved": "Saldo minus ditandai selesai.",
        "back": "Kembali",
        "account": "Akun",
        "second_factor": "Faktor kedua (aplikasi autentikator)",
        "totp_is_on": "Aktif: saat masuk diminta kode dari aplikasi autentikator Anda.",
        "totp_setup": "Pindai QR ini dengan aplikasi autentikator (atau ketik kuncinya), "
                      "lalu masukkan kode yang muncul.",
        "totp_key": "Kunci",
        "turn_on": "Aktifkan",
        "totp_on": "Faktor kedua diaktifkan.",
        "totp_wrong": "Kode itu tidak cocok untuk kunci ini. Periksa jam di aplikasi lalu coba kode yang baru.",
        "owners": "Pemilik usaha ini",
        "add_owner": "Tambah pemilik",
        "owner_added": "Pemilik ditambahkan: mereka bisa masuk sekarang.",
        "password_rules": "Minimal 10 karakter",
        "error_title": "Ada yang salah",
        "field_error": "Periksa isian ini: {problem}",
        "kind_enroll": "Pendaftaran",
        "kind_stamp": "Stempel",
        "kind_stamp_redeem": "Hadiah stempel",
        "kind_earn": "Poin diperoleh",
        "kind_redeem": "Hadiah",
        "kind_adjust": "Penyesuaian",
        "kind_void": "Pembatalan",
        "kind_expire": "Kedaluwarsa",
        "kind_bonus": "Tambahan kampanye",
        "kind_transfer_out": "Dipindah ke kartu baru",
        "kind_transfer_in": "Dipindah dari kartu lama",
        "status_active": "Aktif",
        "status_suspended": "Ditangguhkan",
        "status_blocked": "Diblokir",
    },
}



def _merge_area_words() -> None:
    for info in sorted(pkgutil.iter_modules(words.__path__), key=lambda found: found.name):
        area: dict[str, dict[str, str]] = importlib.import_module(f"{words.__name__}.{info.name}").WORDS
        for language in LANGUAGES:
            twice = MESSAGES[language].keys() & area[language].keys()
            if twice:
                raise RuntimeError(f"console words defined twice ({info.name}): {sorted(twice)}")
            MESSAGES[language].update(area[language])


_merge_area_words()


def pick_language(cookie: str | None, accept_language: str | None) -> str:
    """The cookie's language if known, else the first known one in Accept-Language, else English."""
    if cookie in LANGUAGES:
        return cookie
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary == "in":   # the old code of Indonesian, still sent by some Android browsers
            primary = "id"
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else "en"


def number(language: str, value: int) -> str:
    """1,234 in English, 1.234 in Indonesian."""
    text = f"{value:,}"
    return text.replace(",", ".") if language == "id" else text


def translator(language: str):  # noqa: ANN201 - returns the template's t()
    catalogue = MESSAGES.get(language, MESSAGES["en"])

    def t(key: str, **values: object) -> str:
        text = catalogue.get(key) or MESSAGES["en"].get(key) or key
        return text.format(**values) if values else text

    return t
