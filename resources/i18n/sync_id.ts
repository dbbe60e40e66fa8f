<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>OverdraftsPage</name>
    <message>
        <source>Overdrawn cards</source>
        <translation>Kartu bersaldo minus</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Kartu</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>Pemegang</translation>
    </message>
    <message>
        <source>Stamps</source>
        <translation>Stempel</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Poin</translation>
    </message>
    <message>
        <source>Flagged</source>
        <translation>Ditandai</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Sekarang</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Asking the hub…</source>
        <translation>Menghubungi hub…</translation>
    </message>
    <message>
        <source>The hub cannot be reached: these are the flags last received.</source>
        <translation>Hub tidak dapat dihubungi: ini tanda yang terakhir diterima.</translation>
    </message>
    <message>
        <source>These cards went below zero when offline redemptions on several tills met at the hub. Talk to the customer, then adjust the card.</source>
        <translation>Saldo kartu ini menjadi minus ketika penukaran offline di beberapa kasir bertemu di hub. Bicarakan dengan pelanggan, lalu sesuaikan kartunya.</translation>
    </message>
    <message>
        <source>No card has been overdrawn.</source>
        <translation>Tidak ada kartu yang bersaldo minus.</translation>
    </message>
    <message>
        <source>not on this till</source>
        <translation>tidak ada di kasir ini</translation>
    </message>
    <message>
        <source>%1 stamps, %2 points</source>
        <translation>%1 stempel, %2 poin</translation>
    </message>
    <message>
        <source>settled (%1)</source>
        <translation>selesai (%1)</translation>
    </message>
</context>
<context>
    <name>PairingDialog</name>
    <message>
        <source>Connect to a hub</source>
        <translation>Hubungkan ke hub</translation>
    </message>
    <message>
        <source>https://hub.example.com:8700</source>
        <translation>https://hub.contoh.com:8700</translation>
    </message>
    <message>
        <source>K7QM2-XR9TB</source>
        <translation>K7QM2-XR9TB</translation>
    </message>
    <message>
        <source>This terminal joins a store already on the hub: its programs, staff and cards are copied here. Staff sign in with the PINs they use on the other tills.</source>
        <translation>Terminal ini bergabung dengan toko yang sudah ada di hub: program, staf, dan kartunya disalin ke sini. Staf masuk dengan PIN yang mereka pakai di kasir lain.</translation>
    </message>
    <message>
        <source>This store&apos;s data will be copied to the hub, and other tills of the store can then join it. Ask the owner for a pairing code (&apos;loyalty-hub terminals add&apos;).</source>
        <translation>Data toko ini akan disalin ke hub, lalu kasir lain di toko ini dapat bergabung. Minta kode pemasangan kepada pemilik (&apos;loyalty-hub terminals add&apos;).</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>Alamat hub</translation>
    </message>
    <message>
        <source>Pairing code</source>
        <translation>Kode pemasangan</translation>
    </message>
    <message>
        <source>Pair</source>
        <translation>Pasangkan</translation>
    </message>
    <message>
        <source>Contacting the hub…</source>
        <translation>Menghubungi hub…</translation>
    </message>
    <message>
        <source>Paired with %1. The first sync did not finish; it will retry in the background.</source>
        <translation>Terpasang dengan %1. Sinkronisasi pertama belum selesai; akan dicoba lagi di latar belakang.</translation>
    </message>
    <message>
        <source>Paired with %1.</source>
        <translation>Terpasang dengan %1.</translation>
    </message>
</context>
</TS>
