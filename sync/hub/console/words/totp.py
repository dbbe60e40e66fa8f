"""The second factor's words on the account page (totp_routes.py, account.html).

The words of turning it on (totp_setup, totp_key, totp_code, totp_on, totp_wrong, ...) are older and stay in i18n.py.
"""

from __future__ import annotations

WORDS = {
    "en": {
        "totp_replace_title": "Replace the authenticator",
        "totp_replace_help": "A new phone, or a key that may have leaked? Scan this new QR with the new app "
                             "(or type the new key), then confirm with your password, a code from the app "
                             "you use now and a code from the new one. Until then the current app keeps working.",
        "totp_new_key": "New key",
        "totp_password": "Your password",
        "totp_old_code": "Code from the current app",
        "totp_new_code": "Code from the new app",
        "totp_replace_button": "Replace",
        "totp_cancel": "Cancel",
        "totp_off_title": "Turn the second factor off",
        "totp_off_help": "Signing in will then ask only for your password. Confirm with your password "
                         "and a code from the app.",
        "totp_off_button": "Turn off",
        "totp_replaced": "Authenticator replaced: only the new app's codes work now. If someone else may "
                         "have signed in, use \"Sign out everywhere\".",
        "totp_turned_off": "Second factor turned off: signing in asks only for your password. "
                           "You can turn it on again below.",
        "totp_proof_wrong": "Wrong password, or wrong code from the current app. Nothing was changed: "
                            "check them and try again.",
        "totp_new_code_wrong": "The code from the new app is not right for the new key. Nothing was changed: "
                               "check the new app's clock and try its next code.",
        "totp_too_many": "Too many wrong passwords or codes. Nothing was changed. Wait {minutes} minutes "
                         "and try again (signing in to this account waits too).",
        "totp_bad_key": "That is not an authenticator key. Nothing was changed: scan the new QR shown here "
                        "and try again.",
        "totp_not_on": "The second factor is off for this account: nothing to replace or turn off. "
                       "You can turn it on below.",
        "totp_already_on": "The second factor is already on. To move it to another app, use "
                           "\"Replace the authenticator\".",
    },
    "id": {
        "totp_replace_title": "Ganti autentikator",
        "totp_replace_help": "Ponsel baru, atau kunci yang mungkin bocor? Pindai QR baru ini dengan aplikasi "
                             "baru (atau ketik kunci barunya), lalu konfirmasi dengan kata sandi, kode dari "
                             "aplikasi yang Anda pakai sekarang, dan kode dari aplikasi baru. Sampai saat itu "
                             "aplikasi sekarang tetap berlaku.",
        "totp_new_key": "Kunci baru",
        "totp_password": "Kata sandi Anda",
        "totp_old_code": "Kode dari aplikasi sekarang",
        "totp_new_code": "Kode dari aplikasi baru",
        "totp_replace_button": "Ganti",
        "totp_cancel": "Batal",
        "totp_off_title": "Matikan faktor kedua",
        "totp_off_help": "Setelah itu saat masuk hanya diminta kata sandi. Konfirmasi dengan kata sandi "
                         "dan kode dari aplikasi.",
        "totp_off_button": "Matikan",
        "totp_replaced": "Autentikator diganti: sekarang hanya kode dari aplikasi baru yang berlaku. Jika "
                         "mungkin ada orang lain yang masuk, pakai \"Keluar dari semua perangkat\".",
        "totp_turned_off": "Faktor kedua dimatikan: saat masuk hanya diminta kata sandi. "
                           "Anda bisa mengaktifkannya lagi di bawah.",
        "totp_proof_wrong": "Kata sandi salah, atau kode dari aplikasi sekarang salah. Tidak ada yang diubah: "
                            "periksa lalu coba lagi.",
        "totp_new_code_wrong": "Kode dari aplikasi baru tidak cocok untuk kunci baru. Tidak ada yang diubah: "
                               "periksa jam di aplikasi baru lalu coba kode berikutnya.",
        "totp_too_many": "Terlalu banyak kata sandi atau kode yang salah. Tidak ada yang diubah. Tunggu "
                         "{minutes} menit lalu coba lagi (masuk ke akun ini juga harus menunggu).",
        "totp_bad_key": "Itu bukan kunci autentikator. Tidak ada yang diubah: pindai QR baru di sini "
                        "lalu coba lagi.",
        "totp_not_on": "Faktor kedua akun ini mati: tidak ada yang bisa diganti atau dimatikan. "
                       "Anda bisa mengaktifkannya di bawah.",
        "totp_already_on": "Faktor kedua sudah aktif. Untuk memindahkannya ke aplikasi lain, pakai "
                           "\"Ganti autentikator\".",
    },
}
