<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID" sourcelanguage="en">
<context>
    <name>AdjustPage</name>
    <message>
        <source>Card code, e.g. 7K3QP-9ZX2M</source>
        <translation>Kode kartu, mis. 7K3QP-9ZX2M</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Poin</translation>
    </message>
    <message>
        <source>Stamps</source>
        <translation>Stempel</translation>
    </message>
    <message>
        <source>+25 or -10</source>
        <translation>+25 atau -10</translation>
    </message>
    <message>
        <source>Why (required), e.g. missed stamp on Monday</source>
        <translation>Alasan (wajib), mis. stempel terlewat hari Senin</translation>
    </message>
    <message>
        <source>Adjust this card?

%1

Reason: %2</source>
        <translation>Sesuaikan kartu ini?

%1

Alasan: %2</translation>
    </message>
    <message>
        <source>Adjust</source>
        <translation>Sesuaikan</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Kartu</translation>
    </message>
    <message>
        <source>Adjust…</source>
        <translation>Sesuaikan…</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Ubah</translation>
    </message>
    <message>
        <source>Amount (+ adds, - removes)</source>
        <translation>Jumlah (+ menambah, - mengurangi)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>Type or scan the card code.</source>
        <translation>Ketik atau pindai kode kartu.</translation>
    </message>
    <message>
        <source>The amount must be a whole number other than zero, like 25 or -10.</source>
        <translation>Jumlah harus bilangan bulat selain nol, seperti 25 atau -10.</translation>
    </message>
    <message>
        <source>Say why you adjust this card; the reason goes in the ledger.</source>
        <translation>Tulis alasan penyesuaian kartu ini; alasan dicatat di buku besar.</translation>
    </message>
    <message>
        <source>%1: a balance cannot go below zero. Nothing was changed.</source>
        <translation>%1: saldo tidak boleh di bawah nol. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Adjust a card</source>
        <translation>Sesuaikan kartu</translation>
    </message>
    <message>
        <source>Adjusted. %1</source>
        <translation>Disesuaikan. %1</translation>
    </message>
</context>
<context>
    <name>CampaignPage</name>
    <message>
        <source>Campaign</source>
        <translation>Kampanye</translation>
    </message>
    <message>
        <source>Gives</source>
        <translation>Memberi</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Tanggal</translation>
    </message>
    <message>
        <source>Weekdays</source>
        <translation>Hari</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>Jam</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Sekarang</translation>
    </message>
    <message>
        <source>End selected campaign</source>
        <translation>Akhiri kampanye terpilih</translation>
    </message>
    <message>
        <source>Add campaign</source>
        <translation>Tambah kampanye</translation>
    </message>
    <message>
        <source>New campaign</source>
        <translation>Kampanye baru</translation>
    </message>
    <message>
        <source>e.g. Double points on Tuesdays</source>
        <translation>mis. Poin ganda setiap Selasa</translation>
    </message>
    <message>
        <source>Only between</source>
        <translation>Hanya antara</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Points multiplier</source>
        <translation>Pengali poin</translation>
    </message>
    <message>
        <source>Bonus points</source>
        <translation>Poin tambahan</translation>
    </message>
    <message>
        <source>Bonus stamps</source>
        <translation>Stempel tambahan</translation>
    </message>
    <message>
        <source>For purchases of at least</source>
        <translation>Untuk pembelian minimal</translation>
    </message>
    <message>
        <source>Weekdays (none: every day)</source>
        <translation>Hari (kosong: setiap hari)</translation>
    </message>
    <message>
        <source>running</source>
        <translation>berjalan</translation>
    </message>
    <message>
        <source>over</source>
        <translation>selesai</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>terjadwal</translation>
    </message>
    <message>
        <source>all day</source>
        <translation>sepanjang hari</translation>
    </message>
    <message>
        <source>every day</source>
        <translation>setiap hari</translation>
    </message>
    <message>
        <source>How bonuses combine: a campaign multiplier applies to the purchase&apos;s base points, then the card&apos;s tier multiplier (a %2 campaign and a %3 tier give %4); when two multipliers run at once, the higher one counts. Fixed, spend, first-visit and birthday bonuses are added as they are. Each bonus is an entry of its own in the history, naming the campaign, and does not count toward tiers. Days and hours are the store&apos;s time (%1).</source>
        <translation>Cara tambahan digabung: pengali kampanye berlaku pada poin dasar pembelian, lalu pengali tingkat kartu (kampanye %2 dan tingkat %3 menjadi %4); bila dua pengali berjalan bersamaan, yang lebih tinggi yang berlaku. Poin tambahan tetap, tambahan belanja, hadiah kunjungan pertama, dan hadiah ulang tahun ditambahkan apa adanya. Setiap tambahan menjadi entri sendiri di riwayat, dengan nama kampanyenya, dan tidak dihitung untuk tingkat. Tanggal dan jam mengikuti waktu toko (%1).</translation>
    </message>
    <message>
        <source>Campaign %1 added.</source>
        <translation>Kampanye %1 ditambahkan.</translation>
    </message>
    <message>
        <source>%1 has ended.</source>
        <translation>%1 sudah diakhiri.</translation>
    </message>
</context>
<context>
    <name>CardPrint</name>
    <message>
        <source>Your card online: scan with your phone</source>
        <translation>Kartu Anda online: pindai dengan ponsel</translation>
    </message>
    <message>
        <source>No printer</source>
        <translation>Tidak ada printer</translation>
    </message>
    <message>
        <source>No printer is set up on this computer. Save the card as a PDF and print it from any computer, or add a printer in the system&apos;s settings and try again.</source>
        <translation>Belum ada printer yang diatur di komputer ini. Simpan kartu sebagai PDF dan cetak dari komputer mana pun, atau tambahkan printer di pengaturan sistem lalu coba lagi.</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Simpan sebagai PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>e.g. +62 812-3456-7890</source>
        <translation>mis. +62 812-3456-7890</translation>
    </message>
    <message>
        <source>e.g. name@example.com</source>
        <translation>mis. nama@contoh.id</translation>
    </message>
    <message>
        <source>YYYY-MM-DD, or MM-DD without the year</source>
        <translation>TTTT-BB-HH, atau BB-HH tanpa tahun</translation>
    </message>
    <message>
        <source>Agrees to be contacted (offers, birthday wishes)</source>
        <translation>Setuju dihubungi (penawaran, ucapan ulang tahun)</translation>
    </message>
    <message>
        <source>Save contact details</source>
        <translation>Simpan data kontak</translation>
    </message>
    <message>
        <source>Contact details</source>
        <translation>Data kontak</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telepon</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>Ulang tahun</translation>
    </message>
    <message>
        <source>Reason (goes in the audit log)</source>
        <translation>Alasan (dicatat di catatan pemeriksaan)</translation>
    </message>
    <message>
        <source>Suspend</source>
        <translation>Tangguhkan</translation>
    </message>
    <message>
        <source>Block (lost or stolen)</source>
        <translation>Blokir (hilang atau dicuri)</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>Aktifkan lagi</translation>
    </message>
    <message>
        <source>New card: scan or type its code</source>
        <translation>Kartu baru: pindai atau ketik kodenya</translation>
    </message>
    <message>
        <source>Move balance to the new card</source>
        <translation>Pindahkan saldo ke kartu baru</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>Status kartu</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Jenis</translation>
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
        <source>Balance after</source>
        <translation>Saldo sesudahnya</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Staf</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>History (newest first)</source>
        <translation>Riwayat (terbaru di atas)</translation>
    </message>
    <message>
        <source>Find a customer by name, phone number, e-mail or card code.</source>
        <translation>Cari pelanggan dengan nama, nomor telepon, email, atau kode kartu.</translation>
    </message>
    <message>
        <source>Program: %1</source>
        <translation>Nama program: %1</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Status kartu: %1</translation>
    </message>
    <message>
        <source>Stamps: %1 of %2</source>
        <translation>Stempel: %1 dari %2</translation>
    </message>
    <message>
        <source>Points: %1</source>
        <translation>Poin: %1</translation>
    </message>
    <message>
        <source>Tier: %1</source>
        <translation>Tingkat: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>Expiring in the next 30 days: %1 points (the first on %2)</source>
        <translation>Kedaluwarsa dalam 30 hari ke depan: %1 poin (yang pertama pada %2)</translation>
    </message>
    <message>
        <source>Replaced by card %1</source>
        <translation>Diganti oleh kartu %1</translation>
    </message>
    <message>
        <source>Replaces card %1</source>
        <translation>Menggantikan kartu %1</translation>
    </message>
    <message>
        <source>Only a blocked card that was not replaced yet can be replaced.</source>
        <translation>Hanya kartu yang diblokir dan belum diganti yang dapat diganti.</translation>
    </message>
    <message>
        <source>%1 stamps</source>
        <translation>%1 stempel</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 poin</translation>
    </message>
    <message>
        <source>Contact details saved.</source>
        <translation>Data kontak tersimpan.</translation>
    </message>
    <message>
        <source>Type the reason first (a few words); it goes in the audit log.</source>
        <translation>Ketik alasannya dulu (beberapa kata); alasan dicatat di catatan pemeriksaan.</translation>
    </message>
    <message>
        <source>Reactivate card %1? It can collect and redeem again.</source>
        <translation>Aktifkan lagi kartu %1? Kartu dapat mengumpulkan dan menukar lagi.</translation>
    </message>
    <message>
        <source>Card %1 is suspended.</source>
        <translation>Kartu %1 ditangguhkan.</translation>
    </message>
    <message>
        <source>Card %1 is blocked. To move its balance, scan or type the new card and press Move balance.</source>
        <translation>Kartu %1 diblokir. Untuk memindahkan saldonya, pindai atau ketik kartu baru lalu tekan Pindahkan saldo.</translation>
    </message>
    <message>
        <source>Card %1 is active again.</source>
        <translation>Kartu %1 aktif lagi.</translation>
    </message>
    <message>
        <source>Suspend card %1? It can no longer collect or redeem until you reactivate it.</source>
        <translation>Tangguhkan kartu %1? Kartu tidak dapat mengumpulkan atau menukar sampai Anda mengaktifkannya lagi.</translation>
    </message>
    <message>
        <source>Block card %1 as lost or stolen? It can no longer collect or redeem. Next you can move its balance to a new card; until then you can still reactivate it if it turns up.</source>
        <translation>Blokir kartu %1 karena hilang atau dicuri? Kartu tidak dapat mengumpulkan atau menukar lagi. Setelah ini Anda dapat memindahkan saldonya ke kartu baru; sebelum itu Anda masih dapat mengaktifkannya lagi jika kartu ditemukan.</translation>
    </message>
    <message>
        <source>Suspend card %1 of %2? It can no longer collect or redeem until you reactivate it.</source>
        <translation>Tangguhkan kartu %1 milik %2? Kartu tidak dapat mengumpulkan atau menukar sampai Anda mengaktifkannya lagi.</translation>
    </message>
    <message>
        <source>Block card %1 of %2 as lost or stolen? It can no longer collect or redeem. Next you can move its balance to a new card; until then you can still reactivate it if it turns up.</source>
        <translation>Blokir kartu %1 milik %2 karena hilang atau dicuri? Kartu tidak dapat mengumpulkan atau menukar lagi. Setelah ini Anda dapat memindahkan saldonya ke kartu baru; sebelum itu Anda masih dapat mengaktifkannya lagi jika kartu ditemukan.</translation>
    </message>
    <message>
        <source>Reactivate card %1 of %2? It can collect and redeem again.</source>
        <translation>Aktifkan lagi kartu %1 milik %2? Kartu dapat mengumpulkan dan menukar lagi.</translation>
    </message>
    <message>
        <source>Scan or type the new card&apos;s code first.</source>
        <translation>Pindai atau ketik kode kartu baru dulu.</translation>
    </message>
    <message>
        <source>Card replaced</source>
        <translation>Kartu diganti</translation>
    </message>
    <message>
        <source>Move %1 from card %2 to card %3? Card %2 stays blocked for good.</source>
        <translation>Pindahkan %1 dari kartu %2 ke kartu %3? Kartu %2 tetap diblokir selamanya.</translation>
    </message>
    <message>
        <source>Card %1 keeps the tier %2.</source>
        <translation>Kartu %1 tetap di tingkat %2.</translation>
    </message>
    <message>
        <source>Card %1 now holds the balance of %2.</source>
        <translation>Kartu %1 sekarang memegang saldo %2.</translation>
    </message>
    <message>
        <source>Please confirm</source>
        <translation>Mohon konfirmasi</translation>
    </message>
    <message>
        <source>Yes, go ahead</source>
        <translation>Ya, lanjutkan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>EnrollPage</name>
    <message>
        <source>Customer&apos;s name (optional)</source>
        <translation>Nama pelanggan (opsional)</translation>
    </message>
    <message>
        <source>Pre-printed card: scan or type its code (optional)</source>
        <translation>Kartu cetak: pindai atau ketik kodenya (opsional)</translation>
    </message>
    <message>
        <source>Enroll blank cards for the sheet</source>
        <translation>Daftarkan kartu kosong untuk lembar</translation>
    </message>
    <message>
        <source>Print sheet…</source>
        <translation>Cetak lembar…</translation>
    </message>
    <message>
        <source>Save sheet as PDF…</source>
        <translation>Simpan lembar sebagai PDF…</translation>
    </message>
    <message>
        <source>Empty the sheet</source>
        <translation>Kosongkan lembar</translation>
    </message>
    <message>
        <source>Choose logo…</source>
        <translation>Pilih logo…</translation>
    </message>
    <message>
        <source>Remove logo</source>
        <translation>Hapus logo</translation>
    </message>
    <message>
        <source>Enroll new card</source>
        <translation>Daftarkan kartu baru</translation>
    </message>
    <message>
        <source>Card code</source>
        <translation>Kode kartu</translation>
    </message>
    <message>
        <source>Show card</source>
        <translation>Tampilkan kartu</translation>
    </message>
    <message>
        <source>The new card appears here.</source>
        <translation>Kartu baru tampil di sini.</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>Cetak…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Simpan sebagai PDF…</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>Pemegang</translation>
    </message>
    <message>
        <source>Reprint a card:</source>
        <translation>Cetak ulang kartu:</translation>
    </message>
    <message>
        <source>There is no program to enroll into yet. Set one up first.</source>
        <translation>Belum ada program untuk pendaftaran. Buat program dulu.</translation>
    </message>
    <message>
        <source>Card %1 is enrolled. Print it or save it as PDF.</source>
        <translation>Kartu %1 sudah terdaftar. Cetak atau simpan sebagai PDF.</translation>
    </message>
    <message>
        <source>Type or scan the card code.</source>
        <translation>Ketik atau pindai kode kartu.</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>Dikirim ke printer.</translation>
    </message>
    <message>
        <source>On the A4 sheet: %1 cards (%2 pages)</source>
        <translation>Di lembar A4: %1 kartu (%2 halaman)</translation>
    </message>
    <message>
        <source>%1 blank cards are enrolled and on the sheet.</source>
        <translation>%1 kartu kosong sudah didaftarkan dan ada di lembar.</translation>
    </message>
    <message>
        <source>Save sheet as PDF</source>
        <translation>Simpan lembar sebagai PDF</translation>
    </message>
    <message>
        <source>Logo: yes</source>
        <translation>Logo: ada</translation>
    </message>
    <message>
        <source>Logo: none</source>
        <translation>Logo: tidak ada</translation>
    </message>
    <message>
        <source>Choose the logo for the cards</source>
        <translation>Pilih logo untuk kartu</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>Gambar (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>The logo is saved; every card printed from now on shows it.</source>
        <translation>Logo tersimpan; setiap kartu yang dicetak mulai sekarang menampilkannya.</translation>
    </message>
    <message>
        <source>The logo is removed.</source>
        <translation>Logo dihapus.</translation>
    </message>
    <message>
        <source>Save card as PDF</source>
        <translation>Simpan kartu sebagai PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Berkas PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>Tersimpan: %1.</translation>
    </message>
    <message>
        <source>Could not write %1. Pick a folder you can write to.</source>
        <translation>Tidak dapat menulis %1. Pilih folder yang dapat ditulisi.</translation>
    </message>
</context>
<context>
    <name>EntryKind</name>
    <message>
        <source>Enrolled</source>
        <translation>Terdaftar</translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>Stempel</translation>
    </message>
    <message>
        <source>Stamp reward</source>
        <translation>Hadiah stempel</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Poin diperoleh</translation>
    </message>
    <message>
        <source>Points reward</source>
        <translation>Hadiah poin</translation>
    </message>
    <message>
        <source>Adjustment</source>
        <translation>Penyesuaian</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>Pembatalan</translation>
    </message>
    <message>
        <source>Points expired</source>
        <translation>Poin kedaluwarsa</translation>
    </message>
    <message>
        <source>Campaign bonus</source>
        <translation>Tambahan kampanye</translation>
    </message>
    <message>
        <source>Moved to new card</source>
        <translation>Dipindah ke kartu baru</translation>
    </message>
    <message>
        <source>Moved from old card</source>
        <translation>Dipindah dari kartu lama</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Any card</source>
        <translation>Semua kartu</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Semua</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>TTTT-BB-HH</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Tampilkan</translation>
    </message>
    <message>
        <source>Export for a spreadsheet…</source>
        <translation>Ekspor untuk lembar kerja…</translation>
    </message>
    <message>
        <source>Excel (XLSX) or CSV: local times, amounts, holders and each card&apos;s balance after every entry.</source>
        <translation>Excel (XLSX) atau CSV: waktu setempat, nominal, pemegang, dan saldo kartu setelah setiap catatan.</translation>
    </message>
    <message>
        <source>Raw ledger for auditors…</source>
        <translation>Buku besar mentah untuk auditor…</translation>
    </message>
    <message>
        <source>The signed ledger as stored: UTC times, minor units, hashes. For an auditor or an accountant&apos;s tools.</source>
        <translation>Buku besar bertanda tangan apa adanya: waktu UTC, satuan terkecil, hash. Untuk auditor atau alat akuntan.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Kartu</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Jenis</translation>
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
        <source>Amount</source>
        <translation>Nominal</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Staf</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>From day</source>
        <translation>Dari tanggal</translation>
    </message>
    <message>
        <source>To day (included)</source>
        <translation>Sampai tanggal (termasuk)</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Semua staf</translation>
    </message>
    <message>
        <source>To day</source>
        <translation>Sampai tanggal</translation>
    </message>
    <message>
        <source>%1: type a date as YYYY-MM-DD, for example 2026-03-10, or leave it empty.</source>
        <translation>%1: ketik tanggal sebagai TTTT-BB-HH, misalnya 2026-03-10, atau kosongkan.</translation>
    </message>
    <message>
        <source>Showing the newest %1 entries; narrow the filter, or export them all.</source>
        <translation>Menampilkan %1 catatan terbaru; persempit filter, atau ekspor semuanya.</translation>
    </message>
    <message>
        <source>Export the raw ledger (for auditors)</source>
        <translation>Ekspor buku besar mentah (untuk auditor)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Berkas CSV (*.csv)</translation>
    </message>
    <message>
        <source>When (%1)</source>
        <translation>Waktu (%1)</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>Pemegang</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Mata uang</translation>
    </message>
    <message>
        <source>Stamps after</source>
        <translation>Stempel sesudahnya</translation>
    </message>
    <message>
        <source>Points after</source>
        <translation>Poin sesudahnya</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Buku kerja Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV, comma-separated (*.csv)</source>
        <translation>CSV, dipisah koma (*.csv)</translation>
    </message>
    <message>
        <source>Export history for a spreadsheet</source>
        <translation>Ekspor riwayat untuk lembar kerja</translation>
    </message>
    <message>
        <source>Could not write %1. Pick a folder you can write to.</source>
        <translation>Tidak dapat menulis %1. Pilih folder yang dapat ditulisi.</translation>
    </message>
    <message>
        <source>%1 entries written to %2.</source>
        <translation>%1 catatan ditulis ke %2.</translation>
    </message>
</context>
<context>
    <name>HubRefusals</name>
    <message>
        <source>Changes the hub did not accept</source>
        <translation>Perubahan yang tidak diterima hub</translation>
    </message>
    <message>
        <source>Clear this list</source>
        <translation>Kosongkan daftar ini</translation>
    </message>
    <message>
        <source>Program “%1”</source>
        <translation>Program loyalitas “%1”</translation>
    </message>
    <message>
        <source>Staff member “%1”</source>
        <translation>Staf “%1”</translation>
    </message>
    <message>
        <source>Card %1</source>
        <translation>Kartu %1</translation>
    </message>
    <message>
        <source>belongs to another store, so the change made here was not accepted. Change this staff member at their own store.</source>
        <translation>milik toko lain, jadi perubahan yang dibuat di sini tidak diterima. Ubah staf ini di tokonya sendiri.</translation>
    </message>
    <message>
        <source>may be changed only at the stores the owner allows (at first, the store that created it), so the change made here was not accepted. Make the change there, or ask the owner to allow this store on the hub.</source>
        <translation>hanya boleh diubah di toko yang diizinkan pemilik (awalnya, toko yang membuatnya), jadi perubahan yang dibuat di sini tidak diterima. Buat perubahan di sana, atau minta pemilik mengizinkan toko ini di hub.</translation>
    </message>
    <message>
        <source>was not accepted: this computer&apos;s clock was wrong when the change was made. Check the computer&apos;s clock (date, time and time zone), then make the change again.</source>
        <translation>tidak diterima: jam komputer ini salah saat perubahan dibuat. Periksa jam komputer (tanggal, waktu, dan zona waktu), lalu buat perubahan itu lagi.</translation>
    </message>
    <message>
        <source>has values the hub cannot store, so the change was not accepted. Check them and save it again.</source>
        <translation>berisi nilai yang tidak dapat disimpan hub, jadi perubahan tidak diterima. Periksa nilainya lalu simpan lagi.</translation>
    </message>
    <message>
        <source>was not accepted by the hub (%1).</source>
        <translation>tidak diterima oleh hub (%1).</translation>
    </message>
    <message>
        <source>The hub&apos;s version is back on this till.</source>
        <translation>Versi hub sudah dipasang kembali di kasir ini.</translation>
    </message>
</context>
<context>
    <name>OwnerArea</name>
    <message>
        <source>Staff and PINs</source>
        <translation>Staf dan PIN</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <source>Adjust points</source>
        <translation>Sesuaikan poin</translation>
    </message>
    <message>
        <source>Void an entry</source>
        <translation>Batalkan catatan</translation>
    </message>
    <message>
        <source>Program settings</source>
        <translation>Pengaturan program</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Kampanye</translation>
    </message>
    <message>
        <source>Enroll and print cards</source>
        <translation>Daftar dan cetak kartu</translation>
    </message>
    <message>
        <source>History and export</source>
        <translation>Riwayat dan ekspor</translation>
    </message>
    <message>
        <source>Hub and sync</source>
        <translation>Hub dan sinkronisasi</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Pelanggan</translation>
    </message>
    <message>
        <source>Owner area – Loyalty Terminal</source>
        <translation>Area pemilik – Terminal Loyalitas</translation>
    </message>
    <message>
        <source>Owner area</source>
        <translation>Area pemilik</translation>
    </message>
    <message>
        <source>← Back to counter</source>
        <translation>← Kembali ke kasir</translation>
    </message>
</context>
<context>
    <name>OwnerConfirm</name>
    <message>
        <source>%1 → %2 stamps</source>
        <translation>%1 → %2 stempel</translation>
    </message>
    <message>
        <source>%1 → %2 points</source>
        <translation>%1 → %2 poin</translation>
    </message>
    <message>
        <source>%1 stamps</source>
        <translation>%1 stempel</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 poin</translation>
    </message>
    <message>
        <source> and </source>
        <translation> dan </translation>
    </message>
    <message>
        <source>%1 now has %2.</source>
        <translation>%1 sekarang memiliki %2.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>ProgramPage</name>
    <message>
        <source>no cap</source>
        <translation>tanpa batas</translation>
    </message>
    <message>
        <source>never</source>
        <translation>tidak pernah</translation>
    </message>
    <message>
        <source>store default</source>
        <translation>bawaan toko</translation>
    </message>
    <message>
        <source>Stamps for a reward</source>
        <translation>Stempel untuk satu hadiah</translation>
    </message>
    <message>
        <source>Minimum purchase for points</source>
        <translation>Pembelian minimum untuk poin</translation>
    </message>
    <message>
        <source>Most points per purchase</source>
        <translation>Poin maksimum per pembelian</translation>
    </message>
    <message>
        <source>Points expire after (days)</source>
        <translation>Poin kedaluwarsa setelah (hari)</translation>
    </message>
    <message>
        <source>Minutes between stamps</source>
        <translation>Menit antar stempel</translation>
    </message>
    <message>
        <source>Save program</source>
        <translation>Simpan program</translation>
    </message>
    <message>
        <source>Add a program…</source>
        <translation>Tambah program…</translation>
    </message>
    <message>
        <source>Retire this program…</source>
        <translation>Hentikan program ini…</translation>
    </message>
    <message>
        <source>New program</source>
        <translation>Program baru</translation>
    </message>
    <message>
        <source>Coffee stamp card (10 stamps for a free coffee)</source>
        <translation>Kartu stempel kopi (10 stempel untuk kopi gratis)</translation>
    </message>
    <message>
        <source>Points (with a discount and a tote bag)</source>
        <translation>Poin (dengan diskon dan tas belanja)</translation>
    </message>
    <message>
        <source>Stamps and points (free drink, free lunch)</source>
        <translation>Stempel dan poin (minuman gratis, makan siang gratis)</translation>
    </message>
    <message>
        <source>Blank stamp card</source>
        <translation>Kartu stempel kosong</translation>
    </message>
    <message>
        <source>Blank points program</source>
        <translation>Program poin kosong</translation>
    </message>
    <message>
        <source>Blank stamps and points program</source>
        <translation>Program stempel dan poin kosong</translation>
    </message>
    <message>
        <source>Name (optional for a template)</source>
        <translation>Nama (boleh kosong untuk templat)</translation>
    </message>
    <message>
        <source>Create program</source>
        <translation>Buat program</translation>
    </message>
    <message>
        <source>Retire the program</source>
        <translation>Hentikan program</translation>
    </message>
    <message>
        <source>Retire it</source>
        <translation>Hentikan</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Pertahankan</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Stamps</source>
        <translation>Stempel</translation>
    </message>
    <message>
        <source>Stamps per card per day</source>
        <translation>Stempel per kartu per hari</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Poin</translation>
    </message>
    <message>
        <source>points for every</source>
        <translation>poin untuk setiap</translation>
    </message>
    <message>
        <source>the day they were earned (oldest first)</source>
        <translation>hari poin didapat (yang terlama dulu)</translation>
    </message>
    <message>
        <source>the card&apos;s last visit (the whole balance)</source>
        <translation>kunjungan terakhir kartu (seluruh saldo)</translation>
    </message>
    <message>
        <source>From the day they were earned: each day&apos;s points expire that many days later, the oldest spent first. From the last visit: the whole balance expires once the card has not been used for that many days.</source>
        <translation>Dari hari poin didapat: poin setiap hari kedaluwarsa sekian hari kemudian, yang terlama dipakai lebih dulu. Dari kunjungan terakhir: seluruh saldo kedaluwarsa bila kartu tidak dipakai selama sekian hari.</translation>
    </message>
    <message>
        <source>Earning rate</source>
        <translation>Nilai perolehan</translation>
    </message>
    <message>
        <source>Days counted from</source>
        <translation>Hari dihitung dari</translation>
    </message>
    <message>
        <source>Points can pay part of a bill</source>
        <translation>Poin dapat membayar sebagian tagihan</translation>
    </message>
    <message>
        <source>points are worth</source>
        <translation>poin bernilai</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Nilai</translation>
    </message>
    <message>
        <source>At most, of a bill</source>
        <translation>Paling banyak, dari tagihan</translation>
    </message>
    <message>
        <source>%1 (retired)</source>
        <translation>%1 (dihentikan)</translation>
    </message>
    <message>
        <source>Stamp card</source>
        <translation>Kartu stempel</translation>
    </message>
    <message>
        <source>Stamps and points</source>
        <translation>Stempel dan poin</translation>
    </message>
    <message>
        <source>%1 is retired: its cards keep their history but take no new stamps, points or rewards.</source>
        <translation>%1 sudah dihentikan: kartunya tetap menyimpan riwayat tetapi tidak menerima stempel, poin, atau hadiah baru.</translation>
    </message>
    <message>
        <source>A purchase of %1 earns %2 points (rounded down).</source>
        <translation>Pembelian %1 mendapat %2 poin (dibulatkan ke bawah).</translation>
    </message>
    <message>
        <source>The program was saved.</source>
        <translation>Program disimpan.</translation>
    </message>
    <message>
        <source>A blank program needs a name.</source>
        <translation>Program kosong perlu nama.</translation>
    </message>
    <message>
        <source>The program was added. Set its rules, then save.</source>
        <translation>Program ditambahkan. Atur aturannya, lalu simpan.</translation>
    </message>
    <message>
        <source>Retire %1? Its %2 cards keep their history but take no new stamps, points or rewards, and no new cards are enrolled in it.</source>
        <translation>Hentikan %1? %2 kartunya tetap menyimpan riwayat tetapi tidak menerima stempel, poin, atau hadiah baru, dan tidak ada kartu baru yang didaftarkan.</translation>
    </message>
    <message>
        <source>%1 is retired.</source>
        <translation>%1 sudah dihentikan.</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Ekspor…</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Angka</translation>
    </message>
    <message>
        <source>This period</source>
        <translation>Periode ini</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>Periode sebelumnya</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Perubahan</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Staf</translation>
    </message>
    <message>
        <source>Stamps</source>
        <translation>Stempel</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Poin diperoleh</translation>
    </message>
    <message>
        <source>Redemptions</source>
        <translation>Penukaran</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Hari</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Minggu</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Bulan</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Pilih sendiri</translation>
    </message>
    <message>
        <source>New cards</source>
        <translation>Kartu baru</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>Kampanye</translation>
    </message>
    <message>
        <source>Bonuses</source>
        <translation>Tambahan</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Poin</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>Kartu</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Sampai</translation>
    </message>
    <message>
        <source>Tier mix</source>
        <translation>Sebaran tingkat</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Kampanye</translation>
    </message>
    <message>
        <source>Worth a look</source>
        <translation>Perlu diperiksa</translation>
    </message>
    <message>
        <source>No active members.</source>
        <translation>Tidak ada anggota aktif.</translation>
    </message>
    <message>
        <source>Nothing recorded in these periods.</source>
        <translation>Tidak ada yang tercatat pada periode ini.</translation>
    </message>
    <message>
        <source>Points earned, period before</source>
        <translation>Poin diperoleh, periode sebelumnya</translation>
    </message>
    <message>
        <source>Points spent</source>
        <translation>Poin ditukar</translation>
    </message>
    <message>
        <source>Points expired</source>
        <translation>Poin kedaluwarsa</translation>
    </message>
    <message>
        <source>Earn/burn ratio</source>
        <translation>Rasio peroleh/tukar</translation>
    </message>
    <message>
        <source>Redemption rate</source>
        <translation>Tingkat penukaran</translation>
    </message>
    <message>
        <source>Breakage</source>
        <translation>Poin hangus</translation>
    </message>
    <message>
        <source>Active members</source>
        <translation>Anggota aktif</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Angka</translation>
    </message>
    <message>
        <source>No tier</source>
        <translation>Tanpa tingkat</translation>
    </message>
    <message>
        <source>Section</source>
        <translation>Bagian</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Butir</translation>
    </message>
    <message>
        <source>Points spent, period before</source>
        <translation>Poin ditukar, periode sebelumnya</translation>
    </message>
    <message>
        <source>No points earned or spent in these periods.</source>
        <translation>Tidak ada poin diperoleh atau ditukar pada periode ini.</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Buku kerja Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>Berkas CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the report</source>
        <translation>Ekspor laporan</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <source>Saved the report to %1.</source>
        <translation>Laporan disimpan ke %1.</translation>
    </message>
    <message>
        <source>Could not save %1 (%2). Pick another folder or name.</source>
        <translation>Tidak dapat menyimpan %1 (%2). Pilih folder atau nama lain.</translation>
    </message>
    <message>
        <source>Nothing unusual.</source>
        <translation>Tidak ada yang janggal.</translation>
    </message>
    <message>
        <source>%1 stamped card %3 %2 times.</source>
        <translation>%1 memberi stempel pada kartu %3 sebanyak %2 kali.</translation>
    </message>
    <message>
        <source>%1 was refused %2 times (cooldowns, limits, balances).</source>
        <translation>%1 ditolak %2 kali (jeda, batas, saldo).</translation>
    </message>
    <message>
        <source>%1 voided %2 entries.</source>
        <translation>%1 membatalkan %2 catatan.</translation>
    </message>
    <message>
        <source>%2 wrong PINs were typed for %1.</source>
        <translation>%2 PIN salah diketik untuk %1.</translation>
    </message>
</context>
<context>
    <name>RewardsEditor</name>
    <message>
        <source>Rewards (saved with Save program)</source>
        <translation>Hadiah (disimpan dengan Simpan program)</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>Hadiah</translation>
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
        <source>Stock</source>
        <translation>Stok</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Hari terakhir</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>Belum disimpan</translation>
    </message>
    <message>
        <source>e.g. Free coffee</source>
        <translation>mis. Kopi gratis</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>tak terbatas</translation>
    </message>
    <message>
        <source>YYYY-MM-DD (optional)</source>
        <translation>TTTT-BB-HH (opsional)</translation>
    </message>
    <message>
        <source>Add reward</source>
        <translation>Tambah hadiah</translation>
    </message>
    <message>
        <source>Change selected</source>
        <translation>Ubah yang dipilih</translation>
    </message>
    <message>
        <source>Retire selected</source>
        <translation>Hentikan yang dipilih</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Cost in stamps</source>
        <translation>Harga dalam stempel</translation>
    </message>
    <message>
        <source>Cost in points</source>
        <translation>Harga dalam poin</translation>
    </message>
    <message>
        <source>Available from</source>
        <translation>Tersedia mulai</translation>
    </message>
    <message>
        <source>e.g. 5.00 off your next purchase</source>
        <translation>mis. potongan 5.000 untuk pembelian berikutnya</translation>
    </message>
    <message>
        <source>new</source>
        <translation>baru</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>diubah</translation>
    </message>
    <message>
        <source>to be retired</source>
        <translation>akan dihentikan</translation>
    </message>
    <message>
        <source>Keep selected</source>
        <translation>Pertahankan yang dipilih</translation>
    </message>
    <message>
        <source>Type dates as YYYY-MM-DD, for example 2026-12-31, or leave them empty.</source>
        <translation>Ketik tanggal sebagai TTTT-BB-HH, misalnya 2026-12-31, atau kosongkan.</translation>
    </message>
    <message>
        <source>Give the reward a cost in stamps or points.</source>
        <translation>Beri hadiah itu harga dalam stempel atau poin.</translation>
    </message>
    <message>
        <source>The last day must come on or after the first day.</source>
        <translation>Hari terakhir harus sama dengan atau sesudah hari pertama.</translation>
    </message>
    <message>
        <source>%1 is on the list. Press Save program to save it.</source>
        <translation>%1 sudah masuk daftar. Tekan Simpan program untuk menyimpannya.</translation>
    </message>
    <message>
        <source>%1 is off the list.</source>
        <translation>%1 sudah keluar dari daftar.</translation>
    </message>
    <message>
        <source>%1 stays offered.</source>
        <translation>%1 tetap ditawarkan.</translation>
    </message>
    <message>
        <source>%1 will no longer be offered once you press Save program.</source>
        <translation>%1 tidak ditawarkan lagi setelah Anda menekan Simpan program.</translation>
    </message>
</context>
<context>
    <name>StaffPage</name>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>Terkunci sampai</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Kasir</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Pemilik</translation>
    </message>
    <message>
        <source>PIN (4 to 8 digits)</source>
        <translation>PIN (4 sampai 8 angka)</translation>
    </message>
    <message>
        <source>Add staff member</source>
        <translation>Tambah staf</translation>
    </message>
    <message>
        <source>New staff member</source>
        <translation>Staf baru</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>Nama baru</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Ganti nama</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>PIN baru</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Atur ulang PIN</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Buka kunci</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>Selected staff member</source>
        <translation>Staf terpilih</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ya</translation>
    </message>
    <message>
        <source>no</source>
        <translation>tidak</translation>
    </message>
    <message>
        <source>Type the new staff member&apos;s name.</source>
        <translation>Ketik nama staf baru.</translation>
    </message>
    <message>
        <source>Type a PIN for the new staff member (4 to 8 digits).</source>
        <translation>Ketik PIN untuk staf baru (4 sampai 8 angka).</translation>
    </message>
    <message>
        <source>%1 was added.</source>
        <translation>%1 ditambahkan.</translation>
    </message>
    <message>
        <source>Type the new name.</source>
        <translation>Ketik nama baru.</translation>
    </message>
    <message>
        <source>Renamed to %1.</source>
        <translation>Nama diganti menjadi %1.</translation>
    </message>
    <message>
        <source>Type the new PIN (4 to 8 digits).</source>
        <translation>Ketik PIN baru (4 sampai 8 angka).</translation>
    </message>
    <message>
        <source>%1 has a new PIN and is unlocked.</source>
        <translation>%1 memiliki PIN baru dan tidak terkunci.</translation>
    </message>
    <message>
        <source>%1 is unlocked.</source>
        <translation>Kunci %1 dibuka.</translation>
    </message>
    <message>
        <source>%1 can no longer confirm actions.</source>
        <translation>%1 tidak dapat lagi mengonfirmasi transaksi.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Connect to a hub…</source>
        <translation>Hubungkan ke hub…</translation>
    </message>
    <message>
        <source>This terminal is not connected to a hub: it works on its own. Connect it to share cards, staff and programs with other tills.</source>
        <translation>Terminal ini belum terhubung ke hub: terminal bekerja sendiri. Hubungkan untuk berbagi kartu, staf, dan program dengan kasir lain.</translation>
    </message>
    <message>
        <source>Syncs with %1 (store %2). Last sync: %3.</source>
        <translation>Sinkron dengan %1 (toko %2). Sinkronisasi terakhir: %3.</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>belum</translation>
    </message>
    <message>
        <source>Paired with %1.</source>
        <translation>Terhubung dengan %1.</translation>
    </message>
</context>
<context>
    <name>TiersEditor</name>
    <message>
        <source>Tiers</source>
        <translation>Tingkat</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Tingkat</translation>
    </message>
    <message>
        <source>From lifetime points</source>
        <translation>Mulai dari total poin</translation>
    </message>
    <message>
        <source>Points multiplier</source>
        <translation>Pengali poin</translation>
    </message>
    <message>
        <source>A multiplier is written like %1: a member of that tier earns a quarter more.</source>
        <translation>Pengali ditulis seperti %1: anggota tingkat itu mendapat seperempat lebih banyak.</translation>
    </message>
    <message>
        <source>Tier %1: lifetime points are a whole number, like 1000.</source>
        <translation>Tingkat %1: poin seumur hidup berupa bilangan bulat, seperti 1000.</translation>
    </message>
    <message>
        <source>Tier %1: the multiplier is %2 or more, like %3.</source>
        <translation>Tingkat %1: pengali %2 atau lebih, seperti %3.</translation>
    </message>
    <message>
        <source>Add tier</source>
        <translation>Tambah tingkat</translation>
    </message>
    <message>
        <source>Remove tier</source>
        <translation>Hapus tingkat</translation>
    </message>
    <message>
        <source>Tier %1 needs a name.</source>
        <translation>Tingkat %1 perlu nama.</translation>
    </message>
</context>
<context>
    <name>VoidPage</name>
    <message>
        <source>Card code</source>
        <translation>Kode kartu</translation>
    </message>
    <message>
        <source>Find entries</source>
        <translation>Cari catatan</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Jenis</translation>
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
        <source>Reason</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>Dibatalkan</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Nominal</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Staf</translation>
    </message>
    <message>
        <source>Why (required), e.g. stamped the wrong card</source>
        <translation>Alasan (wajib), mis. salah memberi stempel kartu</translation>
    </message>
    <message>
        <source>Void selected entry…</source>
        <translation>Batalkan catatan terpilih…</translation>
    </message>
    <message>
        <source>%1: a balance cannot go below zero (spent since?). Adjust instead. Nothing was changed.</source>
        <translation>%1: saldo tidak boleh di bawah nol (sudah dipakai?). Sesuaikan saja. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Void this entry?

%1 of %2%3
%4

Reason: %5</source>
        <translation>Batalkan catatan ini?

%1 pada %2%3
%4

Alasan: %5</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> oleh %1</translation>
    </message>
    <message>
        <source>Void an entry</source>
        <translation>Batalkan catatan</translation>
    </message>
    <message>
        <source>Void entry</source>
        <translation>Batalkan catatan</translation>
    </message>
    <message>
        <source>Voided. %1</source>
        <translation>Dibatalkan. %1</translation>
    </message>
    <message>
        <source>Type or scan the card code.</source>
        <translation>Ketik atau pindai kode kartu.</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>dibatalkan</translation>
    </message>
    <message>
        <source>Pick the entry to void in the list.</source>
        <translation>Pilih catatan yang akan dibatalkan di daftar.</translation>
    </message>
    <message>
        <source>Say why you void this entry; the reason goes in the ledger.</source>
        <translation>Tulis alasan pembatalan catatan ini; alasan dicatat di buku besar.</translation>
    </message>
</context>
</TS>
