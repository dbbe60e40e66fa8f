<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>CampaignText</name>
    <message>
        <source>Double points</source>
        <translation>Poin ganda</translation>
    </message>
    <message>
        <source>Triple points</source>
        <translation>Poin tiga kali lipat</translation>
    </message>
    <message>
        <source>Points %1</source>
        <translation>Poin %1</translation>
    </message>
    <message>
        <source>+%1 points per purchase</source>
        <translation>+%1 poin per pembelian</translation>
    </message>
    <message>
        <source>+%1 points from %2</source>
        <translation>+%1 poin mulai %2</translation>
    </message>
    <message>
        <source>+1 extra stamp</source>
        <translation>+1 stempel tambahan</translation>
    </message>
    <message>
        <source>+%1 extra stamps</source>
        <translation>+%1 stempel tambahan</translation>
    </message>
    <message>
        <source>First visit: %1</source>
        <translation>Kunjungan pertama: %1</translation>
    </message>
    <message>
        <source>Birthday: %1</source>
        <translation>Ulang tahun: %1</translation>
    </message>
    <message>
        <source>+%1 points</source>
        <translation>+%1 poin</translation>
    </message>
    <message>
        <source>+%1 stamps</source>
        <translation>+%1 stempel</translation>
    </message>
    <message>
        <source>midnight</source>
        <translation>tengah malam</translation>
    </message>
    <message>
        <source>%1 until %2</source>
        <translation>%1 sampai %2</translation>
    </message>
    <message>
        <source>Points multiplier</source>
        <translation>Pengali poin</translation>
    </message>
    <message>
        <source>Bonus points per purchase</source>
        <translation>Poin tambahan per pembelian</translation>
    </message>
    <message>
        <source>Bonus for spending at least</source>
        <translation>Poin tambahan untuk belanja minimal</translation>
    </message>
    <message>
        <source>Extra stamp</source>
        <translation>Stempel tambahan</translation>
    </message>
    <message>
        <source>First-visit bonus</source>
        <translation>Hadiah kunjungan pertama</translation>
    </message>
    <message>
        <source>Birthday bonus</source>
        <translation>Hadiah ulang tahun</translation>
    </message>
</context>
<context>
    <name>CardPanel</name>
    <message>
        <source>Hold a loyalty card up to the camera, scan it, or type its code.</source>
        <translation>Arahkan kartu loyalitas ke kamera, pindai, atau ketik kodenya.</translation>
    </message>
    <message>
        <source>points</source>
        <translation>poin</translation>
    </message>
    <message>
        <source>tier</source>
        <translation>tingkat</translation>
    </message>
    <message>
        <source>Guest card</source>
        <translation>Kartu tamu</translation>
    </message>
    <message>
        <source>%1 of %2 stamps</source>
        <translation>%1 dari %2 stempel</translation>
    </message>
    <message>
        <source>Can redeem now: %1</source>
        <translation>Bisa ditukar sekarang: %1</translation>
    </message>
    <message>
        <source>No reward yet</source>
        <translation>Belum ada hadiah</translation>
    </message>
    <message>
        <source>%1 was retired: this card takes no new stamps, points or rewards.</source>
        <translation>%1 sudah dihentikan: kartu ini tidak menerima stempel, poin, atau hadiah baru.</translation>
    </message>
    <message>
        <source>%1 more stamps for %2</source>
        <translation>%1 stempel lagi untuk %2</translation>
    </message>
    <message>
        <source>1 more stamp for %2</source>
        <translation>1 stempel lagi untuk %2</translation>
    </message>
    <message>
        <source>%1 more points for %2</source>
        <translation>%1 poin lagi untuk %2</translation>
    </message>
    <message>
        <source>1 more point for %2</source>
        <translation>1 poin lagi untuk %2</translation>
    </message>
    <message>
        <source>%1 points expire within 30 days (the first on %2)</source>
        <translation>%1 poin kedaluwarsa dalam 30 hari (yang pertama pada %2)</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Ditangguhkan</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Diblokir</translation>
    </message>
</context>
<context>
    <name>CardStatus</name>
    <message>
        <source>Active</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Ditangguhkan</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Diblokir</translation>
    </message>
</context>
<context>
    <name>CounterFlow</name>
    <message>
        <source>Card %1 is not known to this terminal, and the terminal cannot reach the hub to look it up. It can collect stamps and points now and redeem once the terminal has synced. Let it collect?</source>
        <translation>Kartu %1 belum dikenal di terminal ini, dan terminal tidak dapat menghubungi hub untuk mencarinya. Kartu ini dapat mengumpulkan stempel dan poin sekarang dan menukarkannya setelah terminal tersinkron. Izinkan mengumpulkan?</translation>
    </message>
    <message>
        <source>Unknown card while offline</source>
        <translation>Kartu tidak dikenal saat offline</translation>
    </message>
    <message>
        <source>Card not known here. Enroll the customer, or check the code.</source>
        <translation>Kartu tidak dikenal di sini. Daftarkan pelanggan, atau periksa kodenya.</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Program</translation>
    </message>
    <message>
        <source>Which program is this card?</source>
        <translation>Kartu ini untuk program apa?</translation>
    </message>
    <message>
        <source>Let card %1 collect while offline</source>
        <translation>Izinkan kartu %1 mengumpulkan saat offline</translation>
    </message>
    <message>
        <source>This card is %1. Ask the owner.</source>
        <translation>Kartu ini %1. Tanyakan kepada pemilik.</translation>
    </message>
    <message>
        <source>Card found. Choose an action.</source>
        <translation>Kartu ditemukan. Pilih tindakan.</translation>
    </message>
    <message>
        <source>This card was replaced by %1, which holds its balance now.</source>
        <translation>Kartu ini sudah diganti dengan %1, yang kini memegang saldonya.</translation>
    </message>
    <message>
        <source>Ready. Scan a card to begin.</source>
        <translation>Siap. Pindai kartu untuk mulai.</translation>
    </message>
    <message>
        <source>Add a stamp for %1</source>
        <translation>Tambah stempel untuk %1</translation>
    </message>
    <message>
        <source>%1 points for %2</source>
        <translation>%1 poin untuk %2</translation>
    </message>
    <message>
        <source>1 point for %2</source>
        <translation>1 poin untuk %2</translation>
    </message>
    <message>
        <source>%1 off for %2 points (%3)</source>
        <translation>Potongan %1 untuk %2 poin (%3)</translation>
    </message>
    <message>
        <source>Take %1 off the bill. Left: %2 points.</source>
        <translation>Potong %1 dari tagihan. Sisa: %2 poin.</translation>
    </message>
    <message>
        <source>Redeem %1 for %2</source>
        <translation>Tukar %1 untuk %2</translation>
    </message>
    <message>
        <source>Nothing to undo on this card.</source>
        <translation>Tidak ada yang bisa dibatalkan pada kartu ini.</translation>
    </message>
    <message>
        <source>Undo the %1 of %2 on %3?</source>
        <translation>Batalkan %1 pukul %2 pada %3?</translation>
    </message>
    <message>
        <source>Undone at the counter</source>
        <translation>Dibatalkan di kasir</translation>
    </message>
    <message>
        <source>%1 can confirm with their own PIN until %2; otherwise an owner.</source>
        <translation>%1 dapat mengonfirmasi dengan PIN sendiri sampai %2; selain itu, pemilik.</translation>
    </message>
    <message>
        <source>An owner confirms.</source>
        <translation>Pemilik mengonfirmasi.</translation>
    </message>
    <message>
        <source>Guest card</source>
        <translation>Kartu tamu</translation>
    </message>
    <message>
        <source>Stamp added: %1 of %2 stamps.</source>
        <translation>Stempel ditambahkan: %1 dari %2 stempel.</translation>
    </message>
    <message>
        <source>+1 point.</source>
        <translation>+1 poin.</translation>
    </message>
    <message>
        <source>+%1 points.</source>
        <translation>+%1 poin.</translation>
    </message>
    <message>
        <source>Balance: 1 point.</source>
        <translation>Saldo: 1 poin.</translation>
    </message>
    <message>
        <source>Balance: %1 points.</source>
        <translation>Saldo: %1 poin.</translation>
    </message>
    <message>
        <source>1 stamp</source>
        <translation>1 stempel</translation>
    </message>
    <message>
        <source>%1 stamps</source>
        <translation>%1 stempel</translation>
    </message>
    <message>
        <source>1 point</source>
        <translation>1 poin</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 poin</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 dan %2</translation>
    </message>
    <message>
        <source>Redeemed %1. Left: %2.</source>
        <translation>%1 ditukar. Sisa: %2.</translation>
    </message>
    <message>
        <source>this card</source>
        <translation>kartu ini</translation>
    </message>
    <message>
        <source>Ready to redeem: %1.</source>
        <translation>Siap ditukar: %1.</translation>
    </message>
    <message>
        <source>Undone: the %1 of %2.</source>
        <translation>Dibatalkan: %1 pukul %2.</translation>
    </message>
    <message>
        <source>stamp</source>
        <translation>stempel</translation>
    </message>
    <message>
        <source>points purchase</source>
        <translation>pembelian poin</translation>
    </message>
    <message>
        <source>redemption</source>
        <translation>penukaran</translation>
    </message>
    <message>
        <source>adjustment</source>
        <translation>penyesuaian</translation>
    </message>
</context>
<context>
    <name>CounterPage</name>
    <message>
        <source>Card code, e.g. 7K3QP-9ZX2M</source>
        <translation>Kode kartu, mis. 7K3QP-9ZX2M</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>Cari</translation>
    </message>
    <message>
        <source>Scanners and typed codes both work. Press Enter to look up.</source>
        <translation>Pemindai dan kode yang diketik sama-sama bisa. Tekan Enter untuk mencari.</translation>
    </message>
    <message>
        <source>Add stamp</source>
        <translation>Tambah stempel</translation>
    </message>
    <message>
        <source>Earn points</source>
        <translation>Dapat poin</translation>
    </message>
    <message>
        <source>Redeem</source>
        <translation>Tukar</translation>
    </message>
    <message>
        <source>Undo last</source>
        <translation>Batalkan terakhir</translation>
    </message>
    <message>
        <source>Next customer (%1)</source>
        <translation>Pelanggan berikutnya (%1)</translation>
    </message>
    <message>
        <source>Clear the card from the screen for the next customer</source>
        <translation>Hapus kartu dari layar untuk pelanggan berikutnya</translation>
    </message>
    <message>
        <source>Find customer (%1)</source>
        <translation>Cari pelanggan (%1)</translation>
    </message>
    <message>
        <source>Find a customer by name, phone number or card code (%1)</source>
        <translation>Cari pelanggan dengan nama, nomor telepon, atau kode kartu (%1)</translation>
    </message>
    <message>
        <source>Customer page QR</source>
        <translation>QR halaman pelanggan</translation>
    </message>
    <message>
        <source>Show the QR that opens this card&apos;s page on the customer&apos;s phone</source>
        <translation>Tampilkan QR yang membuka halaman kartu ini di ponsel pelanggan</translation>
    </message>
    <message>
        <source>Ready. Scan a card to begin.</source>
        <translation>Siap. Pindai kartu untuk mulai.</translation>
    </message>
    <message>
        <source>Nothing can be redeemed yet.</source>
        <translation>Belum ada yang bisa ditukar.</translation>
    </message>
    <message>
        <source>today&apos;s limit of 1 stamp is reached; next stamp from %2.</source>
        <translation>batas hari ini 1 stempel sudah tercapai; stempel berikutnya mulai %2.</translation>
    </message>
    <message>
        <source>today&apos;s limit of %1 stamps is reached; next stamp from %2.</source>
        <translation>batas hari ini %1 stempel sudah tercapai; stempel berikutnya mulai %2.</translation>
    </message>
    <message>
        <source>next stamp at %1.</source>
        <translation>stempel berikutnya pukul %1.</translation>
    </message>
    <message>
        <source>next stamp at %1, in %2 min.</source>
        <translation>stempel berikutnya pukul %1, dalam %2 menit.</translation>
    </message>
</context>
<context>
    <name>CounterStatusBar</name>
    <message>
        <source>Terminal %1</source>
        <translation>Terminal %1</translation>
    </message>
    <message>
        <source>Last confirmed by %1</source>
        <translation>Terakhir dikonfirmasi oleh %1</translation>
    </message>
    <message>
        <source>No action confirmed yet</source>
        <translation>Belum ada tindakan yang dikonfirmasi</translation>
    </message>
</context>
<context>
    <name>CustomerPageDialog</name>
    <message>
        <source>Customer page of %1</source>
        <translation>Halaman pelanggan %1</translation>
    </message>
    <message>
        <source>This till is not linked to a hub yet, so the card has no customer page. Connect it under Owner area (F9) &gt; Hub and sync, then show the QR again.</source>
        <translation>Kasir ini belum terhubung ke hub, jadi kartu belum punya halaman pelanggan. Hubungkan di Area pemilik (F9) &gt; Hub dan sinkronisasi, lalu tampilkan QR lagi.</translation>
    </message>
    <message>
        <source>Let the customer scan this with their phone&apos;s camera: it opens their card&apos;s page (balance, next reward, recent visits).</source>
        <translation>Minta pelanggan memindai ini dengan kamera ponselnya: halaman kartunya terbuka (saldo, hadiah berikutnya, kunjungan terakhir).</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>CustomerRefusal</name>
    <message>
        <source>The phone number has %1 digits; a phone number has %2 to %3.</source>
        <translation>Nomor telepon berisi %1 angka; nomor telepon berisi %2 sampai %3 angka.</translation>
    </message>
    <message>
        <source>The phone number may hold only digits, spaces, a leading + and - ( ) . / (for example +62 812-3456-7890).</source>
        <translation>Nomor telepon hanya boleh berisi angka, spasi, + di depan, dan - ( ) . / (misalnya +62 812-3456-7890).</translation>
    </message>
    <message>
        <source>The e-mail address should look like name@example.com.</source>
        <translation>Alamat email harus berbentuk seperti nama@contoh.id.</translation>
    </message>
    <message>
        <source>Type the birthday as YYYY-MM-DD, or MM-DD without the year.</source>
        <translation>Ketik tanggal ulang tahun sebagai TTTT-BB-HH, atau BB-HH tanpa tahun.</translation>
    </message>
    <message>
        <source>%1 is not a date in the calendar.</source>
        <translation>%1 bukan tanggal yang ada di kalender.</translation>
    </message>
    <message>
        <source>A birthday of %1 is not plausible (in the future or over 130 years ago).</source>
        <translation>Ulang tahun %1 tidak masuk akal (di masa depan atau lebih dari 130 tahun lalu).</translation>
    </message>
    <message>
        <source>The customer&apos;s name has at most %1 characters.</source>
        <translation>Nama pelanggan paling banyak %1 karakter.</translation>
    </message>
    <message>
        <source>Card %1 is already %2; nothing changed.</source>
        <translation>Kartu %1 sudah %2; tidak ada yang berubah.</translation>
    </message>
    <message>
        <source>Card %1 was replaced by %2, which holds its balance now; it stays blocked.</source>
        <translation>Kartu %1 sudah diganti oleh %2, yang sekarang memegang saldonya; kartu ini tetap diblokir.</translation>
    </message>
    <message>
        <source>Card %1 was already replaced by %2.</source>
        <translation>Kartu %1 sudah diganti oleh %2.</translation>
    </message>
    <message>
        <source>Card %1 is %2: block it first (lost or stolen), then replace it.</source>
        <translation>Kartu %1 %2: blokir dulu (hilang atau dicuri), lalu ganti.</translation>
    </message>
    <message>
        <source>The new card must be a different card from the one it replaces.</source>
        <translation>Kartu baru harus kartu yang berbeda dari kartu yang diganti.</translation>
    </message>
    <message>
        <source>Card %1 belongs to another program; use a card of the same program, or a new pre-printed card.</source>
        <translation>Kartu %1 milik program lain; gunakan kartu dari program yang sama, atau kartu cetak baru.</translation>
    </message>
    <message>
        <source>Card %1 already holds %2 stamps and %3 points; use a new card.</source>
        <translation>Kartu %1 sudah berisi %2 stempel dan %3 poin; gunakan kartu baru.</translation>
    </message>
    <message>
        <source>Card %1 is %2; the new card must be an active card.</source>
        <translation>Kartu %1 %2; kartu baru harus kartu yang aktif.</translation>
    </message>
    <message>
        <source>Say why (at least a few words); it goes in the ledger.</source>
        <translation>Sebutkan alasannya (minimal beberapa kata); alasan dicatat di buku besar.</translation>
    </message>
    <message>
        <source>Say why (at least a few words); it goes in the audit log.</source>
        <translation>Sebutkan alasannya (minimal beberapa kata); alasan dicatat di catatan pemeriksaan.</translation>
    </message>
    <message>
        <source>Type a name, phone number or card code to search.</source>
        <translation>Ketik nama, nomor telepon, atau kode kartu untuk mencari.</translation>
    </message>
    <message>
        <source>%1 is %2 KB; a logo file has at most %3 MB. Save a smaller copy (PNG or JPEG) and pick that.</source>
        <translation>%1 berukuran %2 KB; berkas logo paling besar %3 MB. Simpan salinan yang lebih kecil (PNG atau JPEG) lalu pilih salinan itu.</translation>
    </message>
    <message>
        <source>%1 is not an image this program can read. Pick a PNG or JPEG file.</source>
        <translation>%1 bukan gambar yang dapat dibaca program ini. Pilih berkas PNG atau JPEG.</translation>
    </message>
    <message>
        <source>%1 is %2 x %3 pixels; a logo has at most %4 pixels a side. Save a smaller copy and pick that.</source>
        <translation>%1 berukuran %2 x %3 piksel; logo paling besar %4 piksel per sisi. Simpan salinan yang lebih kecil lalu pilih salinan itu.</translation>
    </message>
    <message>
        <source>%1 is only %2 x %3 pixels; it would print as a blur. Pick a larger image.</source>
        <translation>%1 hanya %2 x %3 piksel; hasil cetaknya akan buram. Pilih gambar yang lebih besar.</translation>
    </message>
    <message>
        <source>%1 could not be read as an image (%2). Pick a PNG or JPEG file.</source>
        <translation>%1 tidak dapat dibaca sebagai gambar (%2). Pilih berkas PNG atau JPEG.</translation>
    </message>
    <message>
        <source>Could not write the logo into %1. Check that the data folder can be written.</source>
        <translation>Logo tidak dapat disimpan di %1. Periksa apakah folder data dapat ditulisi.</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>suspended</source>
        <translation>ditangguhkan</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>diblokir</translation>
    </message>
</context>
<context>
    <name>CustomerSearch</name>
    <message>
        <source>Name, phone number or card code</source>
        <translation>Nama, nomor telepon, atau kode kartu</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Kartu</translation>
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
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Type at least 2 characters.</source>
        <translation>Ketik minimal 2 karakter.</translation>
    </message>
    <message>
        <source>No customer found. Check the spelling, or search by phone or card code.</source>
        <translation>Pelanggan tidak ditemukan. Periksa ejaannya, atau cari dengan nomor telepon atau kode kartu.</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(tanpa nama)</translation>
    </message>
</context>
<context>
    <name>CustomerSearchDialog</name>
    <message>
        <source>Find a customer</source>
        <translation>Cari pelanggan</translation>
    </message>
    <message>
        <source>↑ ↓ choose; Enter puts the card on the counter.</source>
        <translation>↑ ↓ untuk memilih; tekan Enter untuk menaruh kartu di kasir.</translation>
    </message>
</context>
<context>
    <name>EarnDialog</name>
    <message>
        <source>Earn points</source>
        <translation>Dapat poin</translation>
    </message>
    <message>
        <source>Purchase amount (%1)</source>
        <translation>Jumlah pembelian (%1)</translation>
    </message>
    <message>
        <source>Next: PIN</source>
        <translation>Lanjut: PIN</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Working out the points…</source>
        <translation>Menghitung poin…</translation>
    </message>
    <message>
        <source>Type the amount on the receipt.</source>
        <translation>Ketik jumlah pada struk.</translation>
    </message>
    <message>
        <source>%1 is too small to earn a point.</source>
        <translation>%1 terlalu kecil untuk mendapat poin.</translation>
    </message>
    <message>
        <source>%1 gives 1 point.</source>
        <translation>%1 memberi 1 poin.</translation>
    </message>
    <message>
        <source>%1 gives %2 points.</source>
        <translation>%1 memberi %2 poin.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>%1 – Loyalty Terminal</source>
        <translation>%1 – Terminal Loyalitas</translation>
    </message>
    <message>
        <source>Owner (F9)</source>
        <translation>Pemilik (F9)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>An owner confirms with their PIN.</source>
        <translation>Pemilik mengonfirmasi dengan PIN-nya.</translation>
    </message>
    <message>
        <source>The owner area is not part of this build.</source>
        <translation>Area pemilik tidak tersedia pada versi ini.</translation>
    </message>
    <message>
        <source>Owner area: an owner confirms with their PIN.</source>
        <translation>Area pemilik: pemilik mengonfirmasi dengan PIN-nya.</translation>
    </message>
    <message>
        <source>The owner area locked itself after %1 without use; F9 opens it again with an owner&apos;s PIN.</source>
        <translation>Area pemilik terkunci sendiri setelah %1 tanpa digunakan; F9 membukanya lagi dengan PIN pemilik.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 dtk</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 mnt</translation>
    </message>
</context>
<context>
    <name>NewPinDialog</name>
    <message>
        <source>New PIN</source>
        <translation>PIN baru</translation>
    </message>
    <message>
        <source>%1: choose your first PIN.</source>
        <translation>%1: pilih PIN pertama Anda.</translation>
    </message>
    <message>
        <source>%1: choose a new PIN before anything else.</source>
        <translation>%1: pilih PIN baru sebelum yang lain.</translation>
    </message>
    <message>
        <source>Type the new PIN, then type it again.</source>
        <translation>Ketik PIN baru, lalu ketik sekali lagi.</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>PIN baru sekali lagi</translation>
    </message>
    <message>
        <source>Save PIN</source>
        <translation>Simpan PIN</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Delete the last digit</source>
        <translation>Hapus angka terakhir</translation>
    </message>
    <message>
        <source>Type the new PIN in both fields.</source>
        <translation>Ketik PIN baru di kedua kolom.</translation>
    </message>
    <message>
        <source>The two PINs differ. Type the same new PIN twice.</source>
        <translation>Kedua PIN berbeda. Ketik PIN baru yang sama dua kali.</translation>
    </message>
    <message>
        <source>Saving the PIN…</source>
        <translation>Menyimpan PIN…</translation>
    </message>
</context>
<context>
    <name>OwnerPage</name>
    <message>
        <source>The owner</source>
        <translation>Pemilik</translation>
    </message>
    <message>
        <source>The owner manages staff, programs and reports. The PIN has 4 to 8 digits.</source>
        <translation>Pemilik mengelola staf, program, dan laporan. PIN terdiri dari 4 sampai 8 angka.</translation>
    </message>
    <message>
        <source>Owner name</source>
        <translation>Nama pemilik</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>Ulangi PIN</translation>
    </message>
    <message>
        <source>The two PINs differ. Type the same PIN twice.</source>
        <translation>Kedua PIN berbeda. Ketik PIN yang sama dua kali.</translation>
    </message>
</context>
<context>
    <name>PinPadDialog</name>
    <message>
        <source>Owner PIN</source>
        <translation>PIN pemilik</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>PIN staf</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Konfirmasi</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Unlock (owner)</source>
        <translation>Buka kunci (pemilik)</translation>
    </message>
    <message>
        <source>Set a PIN (owner approves)</source>
        <translation>Buat PIN (disetujui pemilik)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Delete the last digit</source>
        <translation>Hapus angka terakhir</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>There is no owner to confirm this.</source>
        <translation>Tidak ada pemilik untuk mengonfirmasi ini.</translation>
    </message>
    <message>
        <source>There is no staff member yet.</source>
        <translation>Belum ada staf.</translation>
    </message>
    <message>
        <source>Tap your name (or pick it with the arrow keys or its first letter), then enter your PIN.</source>
        <translation>Ketuk nama Anda (atau pilih dengan tombol panah atau huruf pertamanya), lalu masukkan PIN.</translation>
    </message>
    <message>
        <source>needs a PIN</source>
        <translation>perlu PIN</translation>
    </message>
    <message>
        <source>%1 has no PIN yet. An owner approves with their PIN, then %1 chooses one.</source>
        <translation>%1 belum punya PIN. Pemilik menyetujui dengan PIN-nya, lalu %1 memilih PIN.</translation>
    </message>
    <message>
        <source>Pick your name first: tap it, or use the arrow keys or its first letter.</source>
        <translation>Pilih nama Anda dulu: ketuk, atau gunakan tombol panah atau huruf pertamanya.</translation>
    </message>
    <message>
        <source>%1 must choose a new PIN before anything else.</source>
        <translation>%1 harus memilih PIN baru sebelum yang lain.</translation>
    </message>
    <message>
        <source>PIN saved. %1: enter your new PIN.</source>
        <translation>PIN disimpan. %1: masukkan PIN baru Anda.</translation>
    </message>
    <message>
        <source>An owner approves %1&apos;s first PIN.</source>
        <translation>Pemilik menyetujui PIN pertama %1.</translation>
    </message>
    <message>
        <source>%1 is locked out until %2. An owner can unlock.</source>
        <translation>%1 terkunci sampai %2. Pemilik dapat membuka kunci.</translation>
    </message>
    <message>
        <source>%1: enter your PIN.</source>
        <translation>%1: masukkan PIN Anda.</translation>
    </message>
    <message>
        <source>Enter the PIN.</source>
        <translation>Masukkan PIN.</translation>
    </message>
    <message>
        <source>Checking the PIN…</source>
        <translation>Memeriksa PIN…</translation>
    </message>
    <message>
        <source>Only an owner can confirm this.</source>
        <translation>Hanya pemilik yang dapat mengonfirmasi ini.</translation>
    </message>
</context>
<context>
    <name>PointsPaymentDialog</name>
    <message>
        <source>Pay with points</source>
        <translation>Bayar dengan poin</translation>
    </message>
    <message>
        <source>Bill amount (%1)</source>
        <translation>Jumlah tagihan (%1)</translation>
    </message>
    <message>
        <source>Working out the discount…</source>
        <translation>Menghitung potongan…</translation>
    </message>
    <message>
        <source>Type the amount of the bill.</source>
        <translation>Ketik jumlah tagihan.</translation>
    </message>
    <message>
        <source>The card&apos;s %1 points are not enough for a discount.</source>
        <translation>%1 poin di kartu ini belum cukup untuk potongan.</translation>
    </message>
    <message>
        <source>Take %1 off the bill for %2 points (at most %3 of this bill; the card has %4).</source>
        <translation>Potong %1 dari tagihan untuk %2 poin (paling banyak %3 dari tagihan ini; kartu punya %4).</translation>
    </message>
</context>
<context>
    <name>ProgramPage</name>
    <message>
        <source>Your loyalty program</source>
        <translation>Program loyalitas Anda</translation>
    </message>
    <message>
        <source>Start from a template; the owner can change everything later.</source>
        <translation>Mulai dari templat; pemilik dapat mengubah semuanya nanti.</translation>
    </message>
    <message>
        <source>Coffee stamp card: 10 stamps for a free coffee</source>
        <translation>Kartu stempel kopi: 10 stempel untuk kopi gratis</translation>
    </message>
    <message>
        <source>Points: 1 point for every %2 spent</source>
        <translation>Poin: 1 poin untuk setiap belanja %2</translation>
    </message>
    <message>
        <source>Points: %1 points for every %2 spent</source>
        <translation>Poin: %1 poin untuk setiap belanja %2</translation>
    </message>
    <message>
        <source>Stamps and points: 8 stamps for a free drink, points for lunch</source>
        <translation>Stempel dan poin: 8 stempel untuk minuman gratis, poin untuk makan siang</translation>
    </message>
</context>
<context>
    <name>RedeemDialog</name>
    <message>
        <source>Redeem</source>
        <translation>Tukar</translation>
    </message>
    <message>
        <source>Which reward for %1?</source>
        <translation>Hadiah apa untuk %1?</translation>
    </message>
    <message>
        <source>this card</source>
        <translation>kartu ini</translation>
    </message>
    <message>
        <source>This program has no rewards yet.</source>
        <translation>Program ini belum punya hadiah.</translation>
    </message>
    <message>
        <source>Pay part of the bill with points…</source>
        <translation>Bayar sebagian tagihan dengan poin…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>1 stamp</source>
        <translation>1 stempel</translation>
    </message>
    <message>
        <source>%1 stamps</source>
        <translation>%1 stempel</translation>
    </message>
    <message>
        <source>1 point</source>
        <translation>1 poin</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 poin</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <source>Stamped less than a minute ago — next stamp from %1.</source>
        <translation>Distempel kurang dari semenit lalu — stempel berikutnya mulai %1.</translation>
    </message>
    <message>
        <source>Stamped %1 min ago — next stamp from %2.</source>
        <translation>Distempel %1 menit lalu — stempel berikutnya mulai %2.</translation>
    </message>
    <message>
        <source>This card has had %1 stamps today, the daily limit. Stamps are possible again from %2.</source>
        <translation>Kartu ini sudah mendapat %1 stempel hari ini, batas harian. Stempel bisa lagi mulai %2.</translation>
    </message>
    <message>
        <source>Wrong PIN for %1. Tries left before lockout: %2.</source>
        <translation>PIN salah untuk %1. Sisa percobaan sebelum terkunci: %2.</translation>
    </message>
    <message>
        <source>%1 is locked out after too many wrong PINs until %2. An owner can unlock.</source>
        <translation>%1 terkunci karena terlalu banyak PIN salah sampai %2. Pemilik dapat membuka kunci.</translation>
    </message>
    <message>
        <source>%1 needs %2 stamps; the card has %3.</source>
        <translation>%1 butuh %2 stempel; kartu ini punya %3.</translation>
    </message>
    <message>
        <source>%1 needs %2 points; the card has %3.</source>
        <translation>%1 butuh %2 poin; kartu ini punya %3.</translation>
    </message>
    <message>
        <source>%1 is out of stock.</source>
        <translation>Stok %1 habis.</translation>
    </message>
    <message>
        <source>This card is not known to the hub yet and the terminal is offline: it can collect now and redeem once the terminal has synced.</source>
        <translation>Kartu ini belum dikenal hub dan terminal sedang offline: kartu dapat mengumpulkan sekarang dan menukarkan setelah terminal tersinkron.</translation>
    </message>
    <message>
        <source>This terminal cannot reach the hub: each card may redeem at most %1 time(s) until it syncs again, and this card has. Check the network, then try again.</source>
        <translation>Terminal ini tidak dapat menghubungi hub: setiap kartu boleh menukar paling banyak %1 kali sampai tersinkron lagi, dan kartu ini sudah. Periksa jaringan, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Only the cashier who made this entry can undo it; otherwise an owner confirms.</source>
        <translation>Hanya kasir yang membuat entri ini yang dapat membatalkannya; selain itu, pemilik mengonfirmasi.</translation>
    </message>
    <message>
        <source>A cashier can undo their own action for 1 minute after it; now an owner confirms.</source>
        <translation>Kasir dapat membatalkan tindakannya sendiri selama 1 menit sesudahnya; sekarang pemilik mengonfirmasi.</translation>
    </message>
    <message>
        <source>A cashier can undo their own action for %1 minutes after it; now an owner confirms.</source>
        <translation>Kasir dapat membatalkan tindakannya sendiri selama %1 menit sesudahnya; sekarang pemilik mengonfirmasi.</translation>
    </message>
    <message>
        <source>This card is not known here. Enroll the customer, or check the code.</source>
        <translation>Kartu ini tidak dikenal di sini. Daftarkan pelanggan, atau periksa kodenya.</translation>
    </message>
    <message>
        <source>This card is suspended. Ask an owner.</source>
        <translation>Kartu ini ditangguhkan. Tanyakan kepada pemilik.</translation>
    </message>
    <message>
        <source>This card is blocked and cannot be used.</source>
        <translation>Kartu ini diblokir dan tidak dapat digunakan.</translation>
    </message>
    <message>
        <source>That is not a loyalty card. Scan the QR code on the customer&apos;s loyalty card.</source>
        <translation>Itu bukan kartu loyalitas. Pindai kode QR pada kartu loyalitas pelanggan.</translation>
    </message>
    <message>
        <source>That is not a valid card code. Check it and type it again.</source>
        <translation>Itu bukan kode kartu yang sah. Periksa lalu ketik lagi.</translation>
    </message>
    <message>
        <source>The PIN confirmation has expired. Enter the PIN again.</source>
        <translation>Konfirmasi PIN sudah kedaluwarsa. Masukkan PIN lagi.</translation>
    </message>
    <message>
        <source>Only an owner may do this. Ask an owner to confirm with their PIN.</source>
        <translation>Hanya pemilik yang boleh melakukan ini. Minta pemilik mengonfirmasi dengan PIN-nya.</translation>
    </message>
    <message>
        <source>This computer&apos;s clock is behind its last entry (%1). Check the computer&apos;s clock.</source>
        <translation>Jam komputer ini lebih awal dari entri terakhirnya (%1). Periksa jam komputer.</translation>
    </message>
    <message>
        <source>This computer&apos;s clock is %1 minutes ahead of the hub&apos;s: stamps are refused until it is right. Check the computer&apos;s clock.</source>
        <translation>Jam komputer ini %1 menit lebih cepat dari jam hub: stempel ditolak sampai jamnya benar. Periksa jam komputer.</translation>
    </message>
    <message>
        <source>This computer&apos;s clock is %1 minutes behind the hub&apos;s: stamps are refused until it is right. Check the computer&apos;s clock.</source>
        <translation>Jam komputer ini %1 menit lebih lambat dari jam hub: stempel ditolak sampai jamnya benar. Periksa jam komputer.</translation>
    </message>
    <message>
        <source>%1&apos;s PIN is disabled after too many wrong PINs. An owner must unlock it or set a new PIN.</source>
        <translation>PIN %1 dinonaktifkan setelah terlalu banyak PIN salah. Pemilik harus membukanya atau membuat PIN baru.</translation>
    </message>
    <message>
        <source>This terminal cannot reach the hub: it may give at most %1 of the %2 %3 left until it syncs again (the other tills may give the rest). Check the network, then try again.</source>
        <translation>Terminal ini tidak dapat menjangkau hub: terminal ini boleh memberi paling banyak %1 dari %2 %3 yang tersisa sampai tersinkron lagi (kasir lain mungkin memberi sisanya). Periksa jaringan, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Check the amount: type it as a number, for example 4.50.</source>
        <translation>Periksa jumlahnya: ketik sebagai angka, misalnya 4,50.</translation>
    </message>
    <message>
        <source>This amount is too small to earn a point.</source>
        <translation>Jumlah ini terlalu kecil untuk mendapat poin.</translation>
    </message>
    <message>
        <source>Something went wrong and nothing was changed. Try again; if it keeps happening, ask the owner to check the log.</source>
        <translation>Terjadi kesalahan dan tidak ada yang diubah. Coba lagi; jika terus terjadi, minta pemilik memeriksa log.</translation>
    </message>
    <message>
        <source>A PIN is made of digits only.</source>
        <translation>PIN hanya terdiri dari angka.</translation>
    </message>
    <message>
        <source>A PIN has %1 to %2 digits.</source>
        <translation>PIN terdiri dari %1 sampai %2 angka.</translation>
    </message>
    <message>
        <source>That PIN is one of the most common and easy to guess. Choose another.</source>
        <translation>PIN itu termasuk yang paling umum dan mudah ditebak. Pilih PIN lain.</translation>
    </message>
    <message>
        <source>%1 is not a time zone. Use a name like Europe/Berlin or Asia/Jakarta.</source>
        <translation>%1 bukan zona waktu. Pakai nama seperti Europe/Berlin atau Asia/Jakarta.</translation>
    </message>
    <message>
        <source>A currency is a 3-letter code such as EUR or IDR.</source>
        <translation>Mata uang adalah kode 3 huruf seperti EUR atau IDR.</translation>
    </message>
    <message>
        <source>The store needs a name.</source>
        <translation>Toko perlu nama.</translation>
    </message>
    <message>
        <source>A program needs a name.</source>
        <translation>Program perlu nama.</translation>
    </message>
    <message>
        <source>A reward needs a name.</source>
        <translation>Hadiah perlu nama.</translation>
    </message>
    <message>
        <source>A reward costs stamps or points.</source>
        <translation>Hadiah berharga stempel atau poin.</translation>
    </message>
    <message>
        <source>A reward&apos;s validity must end after it starts.</source>
        <translation>Masa berlaku hadiah harus berakhir sesudah dimulai.</translation>
    </message>
    <message>
        <source>Every tier needs a name.</source>
        <translation>Setiap tingkat perlu nama.</translation>
    </message>
    <message>
        <source>A staff name has %1 to %2 characters.</source>
        <translation>Nama staf terdiri dari %1 sampai %2 karakter.</translation>
    </message>
    <message>
        <source>There is already a staff member called %1.</source>
        <translation>Sudah ada staf bernama %1.</translation>
    </message>
    <message>
        <source>An adjustment must change points or stamps.</source>
        <translation>Penyesuaian harus mengubah poin atau stempel.</translation>
    </message>
    <message>
        <source>The end of the date range must be after its start.</source>
        <translation>Akhir rentang tanggal harus sesudah awalnya.</translation>
    </message>
    <message>
        <source>Two loyalty cards are in view. Show the camera one card at a time.</source>
        <translation>Dua kartu loyalitas terlihat. Tunjukkan satu kartu saja ke kamera.</translation>
    </message>
    <message>
        <source>%1 must choose a new PIN first. Sign in again to choose it.</source>
        <translation>%1 harus memilih PIN baru dulu. Masuk lagi untuk memilihnya.</translation>
    </message>
    <message>
        <source>Choose a PIN different from your old one.</source>
        <translation>Pilih PIN yang berbeda dari PIN lama Anda.</translation>
    </message>
    <message>
        <source>%1 already has a PIN. They sign in with it; an owner can reset it on the Staff page.</source>
        <translation>%1 sudah punya PIN. Mereka masuk dengan PIN itu; pemilik dapat mengatur ulang di halaman Staf.</translation>
    </message>
    <message>
        <source>%1 is no longer offered.</source>
        <translation>%1 tidak ditawarkan lagi.</translation>
    </message>
    <message>
        <source>%1 is available from %2.</source>
        <translation>%1 tersedia mulai %2.</translation>
    </message>
    <message>
        <source>%1 was available until %2.</source>
        <translation>%1 tersedia sampai %2.</translation>
    </message>
    <message>
        <source>Needs %1 stamps; the card has %2.</source>
        <translation>Butuh %1 stempel; kartu ini punya %2.</translation>
    </message>
    <message>
        <source>Needs %1 points; the card has %2.</source>
        <translation>Butuh %1 poin; kartu ini punya %2.</translation>
    </message>
</context>
<context>
    <name>ScannerPreview</name>
    <message>
        <source>Camera preview</source>
        <translation>Pratinjau kamera</translation>
    </message>
    <message>
        <source>Camera running – card in view</source>
        <translation>Kamera aktif – kartu terlihat</translation>
    </message>
    <message>
        <source>Camera running – that QR code is not a loyalty card</source>
        <translation>Kamera aktif – kode QR itu bukan kartu loyalitas</translation>
    </message>
    <message>
        <source>Camera running – searching for a card</source>
        <translation>Kamera aktif – mencari kartu</translation>
    </message>
    <message>
        <source>Starting camera</source>
        <translation>Menyalakan kamera</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Tidak ada kamera</translation>
    </message>
    <message>
        <source>Retrying camera</source>
        <translation>Mencoba kamera lagi</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>Kamera mati</translation>
    </message>
    <message>
        <source>Starting the %1…</source>
        <translation>Menyalakan %1…</translation>
    </message>
    <message>
        <source>Trying the %1 again…</source>
        <translation>Mencoba %1 lagi…</translation>
    </message>
    <message>
        <source>The camera is off.</source>
        <translation>Kamera mati.</translation>
    </message>
    <message>
        <source>Trying again in 1 second; meanwhile, type the card code.</source>
        <translation>Mencoba lagi dalam 1 detik; sementara itu, ketik kode kartu.</translation>
    </message>
    <message>
        <source>Trying again in %1 seconds; meanwhile, type the card code.</source>
        <translation>Mencoba lagi dalam %1 detik; sementara itu, ketik kode kartu.</translation>
    </message>
    <message>
        <source>demo camera</source>
        <translation>kamera demo</translation>
    </message>
    <message>
        <source>demo camera (no webcam answered)</source>
        <translation>kamera demo (tidak ada webcam yang menjawab)</translation>
    </message>
    <message>
        <source>video %1</source>
        <translation>video %1</translation>
    </message>
    <message>
        <source>camera %1</source>
        <translation>kamera %1</translation>
    </message>
    <message>
        <source>No camera answered at %1. Check that it is plugged in and that no other program is using it.</source>
        <translation>Tidak ada kamera yang menjawab di %1. Periksa apakah kamera terpasang dan tidak sedang dipakai program lain.</translation>
    </message>
    <message>
        <source>The %1 is there but sends no picture. Close other programs that may be using it.</source>
        <translation>%1 terhubung tetapi tidak mengirim gambar. Tutup program lain yang mungkin sedang memakainya.</translation>
    </message>
    <message>
        <source>The %1 is not open.</source>
        <translation>%1 belum dibuka.</translation>
    </message>
    <message>
        <source>The picture from the %1 stopped. Check that its cable is plugged in.</source>
        <translation>Gambar dari %1 berhenti. Periksa apakah kabelnya terpasang.</translation>
    </message>
    <message>
        <source>The video file %2 does not exist. Check the camera setting.</source>
        <translation>Berkas video %2 tidak ada. Periksa pengaturan kamera.</translation>
    </message>
    <message>
        <source>The %1 cannot be played. Use an MP4 or AVI file.</source>
        <translation>%1 tidak dapat diputar. Gunakan berkas MP4 atau AVI.</translation>
    </message>
    <message>
        <source>The %1 cannot be read any more.</source>
        <translation>%1 tidak dapat dibaca lagi.</translation>
    </message>
    <message>
        <source>The %1 reported a fault (%3).</source>
        <translation>%1 melaporkan gangguan (%3).</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Kiosk mode</source>
        <translation>Mode kios</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Terang</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Gelap</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Ikuti sistem</translation>
    </message>
    <message>
        <source>Fill the screen (leave with F11)</source>
        <translation>Layar penuh (keluar dengan F11)</translation>
    </message>
    <message>
        <source>Hub and sync…</source>
        <translation>Hub dan sinkronisasi…</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Terapkan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up the loyalty terminal</source>
        <translation>Siapkan terminal loyalitas</translation>
    </message>
    <message>
        <source>Join a store on a hub…</source>
        <translation>Bergabung ke toko di hub…</translation>
    </message>
    <message>
        <source>Creating the store…</source>
        <translation>Membuat toko…</translation>
    </message>
</context>
<context>
    <name>StampMarks</name>
    <message>
        <source>%1 of %2 stamps</source>
        <translation>%1 dari %2 stempel</translation>
    </message>
</context>
<context>
    <name>StorePage</name>
    <message>
        <source>Your store</source>
        <translation>Toko Anda</translation>
    </message>
    <message>
        <source>The name is printed on cards. Times are shown in the store&apos;s time zone.</source>
        <translation>Nama dicetak pada kartu. Waktu ditampilkan dalam zona waktu toko.</translation>
    </message>
    <message>
        <source>Store name</source>
        <translation>Nama toko</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zona waktu</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Mata uang</translation>
    </message>
</context>
<context>
    <name>SwitchOffer</name>
    <message>
        <source>Switch (%1)</source>
        <translation>Ganti (%1)</translation>
    </message>
    <message>
        <source>Open that card (%1)</source>
        <translation>Buka kartu itu (%1)</translation>
    </message>
    <message>
        <source>This card was replaced by %1. Open that card?</source>
        <translation>Kartu ini sudah diganti dengan %1. Buka kartu itu?</translation>
    </message>
    <message>
        <source>The camera sees another card, %1 of %2. Switch to it?</source>
        <translation>Kamera melihat kartu lain, %1 milik %2. Ganti ke kartu itu?</translation>
    </message>
    <message>
        <source>The camera sees another card, %1. Switch to it?</source>
        <translation>Kamera melihat kartu lain, %1. Ganti ke kartu itu?</translation>
    </message>
    <message>
        <source>Serve card %1 instead</source>
        <translation>Layani kartu %1 sebagai gantinya</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <source>Not connected to a hub</source>
        <translation>Tidak terhubung ke hub</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Daring</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Luring</translation>
    </message>
    <message>
        <source>Sync error</source>
        <translation>Galat sinkronisasi</translation>
    </message>
    <message>
        <source>%1 pending</source>
        <translation>%1 menunggu</translation>
    </message>
    <message>
        <source>catching up %1%</source>
        <translation>mengejar ketertinggalan %1%</translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation>sinkron terakhir %1</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>belum pernah sinkron</translation>
    </message>
    <message>
        <source>clock %1 min ahead of the hub: check it</source>
        <translation>jam %1 mnt lebih cepat dari hub: periksa</translation>
    </message>
    <message>
        <source>clock %1 min behind the hub: check it</source>
        <translation>jam %1 mnt lebih lambat dari hub: periksa</translation>
    </message>
    <message>
        <source>the hub refused this computer&apos;s time: check the computer&apos;s clock</source>
        <translation>hub menolak waktu komputer ini: periksa jam komputer</translation>
    </message>
    <message>
        <source>%1 changes not accepted (Owner → Hub and sync)</source>
        <translation>%1 perubahan tidak diterima (Pemilik → Hub dan sinkronisasi)</translation>
    </message>
    <message>
        <source>The hub cannot be reached. This till keeps working and sends its changes once the hub answers.</source>
        <translation>Hub tidak dapat dihubungi. Kasir ini tetap bekerja dan mengirim perubahannya begitu hub menjawab.</translation>
    </message>
</context>
</TS>
