<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>OverdraftsPage</name>
    <message>
        <source>Flagged cards</source>
        <translation>Kartu yang ditandai</translation>
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
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Yang terjadi</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>Entri</translation>
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
        <source>When offline tills&apos; entries met at the hub, these broke a rule no single till could see. Talk to the customer, then adjust the card if needed.</source>
        <translation>Saat entri dari kasir yang offline bertemu di hub, hal-hal ini melanggar aturan yang tidak terlihat oleh satu kasir saja. Bicaralah dengan pelanggan, lalu sesuaikan kartu bila perlu.</translation>
    </message>
    <message>
        <source>Nothing has been flagged.</source>
        <translation>Tidak ada yang ditandai.</translation>
    </message>
    <message>
        <source>Overdrawn</source>
        <translation>Saldo minus</translation>
    </message>
    <message>
        <source>Voided twice</source>
        <translation>Dibatalkan dua kali</translation>
    </message>
    <message>
        <source>Daily stamp limit</source>
        <translation>Batas stempel harian</translation>
    </message>
    <message>
        <source>Beyond stock</source>
        <translation>Melebihi stok</translation>
    </message>
    <message>
        <source>Voided on two tills: the second void changed the card by %1 stamps, %2 points again</source>
        <translation>Dibatalkan di dua kasir: pembatalan kedua mengubah kartu lagi sebesar %1 stempel, %2 poin</translation>
    </message>
    <message>
        <source>%1 stamps beyond the daily limit of %2 on %3 (%4 that day)</source>
        <translation>%1 stempel melebihi batas harian %2 pada %3 (%4 hari itu)</translation>
    </message>
    <message>
        <source>%1 redeemed %2 times against a stock of %3</source>
        <translation>%1 ditukar %2 kali dengan stok %3</translation>
    </message>
    <message>
        <source>Below zero: %1 stamps, %2 points</source>
        <translation>Di bawah nol: %1 stempel, %2 poin</translation>
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
    <message>
        <source>Pairing failed unexpectedly. Try again; if it goes on, check the terminal&apos;s log.</source>
        <translation>Pemasangan gagal tanpa diduga. Coba lagi; jika terus terjadi, periksa log terminal.</translation>
    </message>
    <message>
        <source>The hub address starts with https:// (or http:// on a trusted network), for example https://hub.example.com:8700.</source>
        <translation>Alamat hub diawali https:// (atau http:// di jaringan tepercaya), misalnya https://hub.contoh.com:8700.</translation>
    </message>
    <message>
        <source>Type the pairing code shown by &apos;loyalty-hub terminals add&apos;, like K7QM2-XR9TB.</source>
        <translation>Ketik kode pemasangan yang ditampilkan oleh &apos;loyalty-hub terminals add&apos;, seperti K7QM2-XR9TB.</translation>
    </message>
    <message>
        <source>The hub at %1 did not answer. Check the address and that it is running.</source>
        <translation>Hub di %1 tidak menjawab. Periksa alamatnya dan pastikan hub sedang berjalan.</translation>
    </message>
    <message>
        <source>The hub at %1 did not answer in time. Check the network and that the hub is running, then try again.</source>
        <translation>Hub di %1 tidak menjawab tepat waktu. Periksa jaringan dan pastikan hub sedang berjalan, lalu coba lagi.</translation>
    </message>
    <message>
        <source>The hub at %1 could not be reached securely: its certificate was not accepted. Check the address (https or http) and the hub&apos;s certificate.</source>
        <translation>Hub di %1 tidak dapat dihubungi dengan aman: sertifikatnya tidak diterima. Periksa alamatnya (https atau http) dan sertifikat hub.</translation>
    </message>
    <message>
        <source>The connection to the hub at %1 broke off. Check the network, then try again.</source>
        <translation>Koneksi ke hub di %1 terputus. Periksa jaringan, lalu coba lagi.</translation>
    </message>
    <message>
        <source>The hub at %1 is busy or has a problem. Try again in a minute; if it goes on, check the hub&apos;s log.</source>
        <translation>Hub di %1 sedang sibuk atau bermasalah. Coba lagi sebentar lagi; jika terus terjadi, periksa log hub.</translation>
    </message>
    <message>
        <source>%1 answered, but not like a loyalty hub. Check the address.</source>
        <translation>%1 menjawab, tetapi bukan sebagai hub loyalitas. Periksa alamatnya.</translation>
    </message>
    <message>
        <source>%1 answers but is not a loyalty hub. Check the address.</source>
        <translation>%1 menjawab tetapi bukan hub loyalitas. Periksa alamatnya.</translation>
    </message>
    <message>
        <source>The hub does not know this pairing code. Check it, or ask the owner for a new one (&apos;loyalty-hub terminals add&apos;).</source>
        <translation>Hub tidak mengenal kode pemasangan ini. Periksa kodenya, atau minta kode baru kepada pemilik (&apos;loyalty-hub terminals add&apos;).</translation>
    </message>
    <message>
        <source>This pairing code was already used. Ask the owner for a new one (&apos;loyalty-hub terminals add&apos;).</source>
        <translation>Kode pemasangan ini sudah dipakai. Minta kode baru kepada pemilik (&apos;loyalty-hub terminals add&apos;).</translation>
    </message>
    <message>
        <source>This pairing code has expired. Ask the owner for a new one (&apos;loyalty-hub terminals add&apos;).</source>
        <translation>Kode pemasangan ini sudah kedaluwarsa. Minta kode baru kepada pemilik (&apos;loyalty-hub terminals add&apos;).</translation>
    </message>
    <message>
        <source>No till of this store has sent its set-up to the hub yet. Pair the till that is already set up first, then join this one.</source>
        <translation>Belum ada kasir toko ini yang mengirim pengaturannya ke hub. Pasangkan dulu kasir yang sudah diatur, lalu gabungkan kasir ini.</translation>
    </message>
    <message>
        <source>Another till already paired its own store with this hub store. Join it from an empty data folder instead, or ask for a code for a new hub store.</source>
        <translation>Kasir lain sudah memasangkan tokonya sendiri dengan toko hub ini. Gabung dari folder data kosong, atau minta kode untuk toko hub baru.</translation>
    </message>
    <message>
        <source>Another merchant&apos;s till already uses this terminal&apos;s id on that hub; this terminal&apos;s data cannot be paired there.</source>
        <translation>Kasir milik pedagang lain sudah memakai id terminal ini di hub tersebut; data terminal ini tidak dapat dipasangkan di sana.</translation>
    </message>
    <message>
        <source>The hub refused the pairing. Check the pairing code, or ask the owner for a new one.</source>
        <translation>Hub menolak pemasangan. Periksa kode pemasangan, atau minta kode baru kepada pemilik.</translation>
    </message>
</context>
</TS>
