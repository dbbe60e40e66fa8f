<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID" sourcelanguage="en">
  <context>
    <name>AdjustPage</name>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="19" />
      <source>Card code, e.g. 7K3QP-9ZX2M</source>
      <translation>Kode kartu, mis. 7K3QP-9ZX2M</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="21" />
      <source>Points</source>
      <translation>Poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="22" />
      <source>Stamps</source>
      <translation>Stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="23" />
      <source>+25 or -10</source>
      <translation>+25 atau -10</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="24" />
      <source>Why (required), e.g. missed stamp on Monday</source>
      <translation>Alasan (wajib), mis. stempel terlewat hari Senin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="25" />
      <source>Adjust</source>
      <translation>Sesuaikan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="29" />
      <source>Card</source>
      <translation>Kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="30" />
      <source>Change</source>
      <translation>Ubah</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="31" />
      <source>Amount (+ adds, - removes)</source>
      <translation>Jumlah (+ menambah, - mengurangi)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="32" />
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="46" />
      <source>Type or scan the card code.</source>
      <translation>Ketik atau pindai kode kartu.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="49" />
      <source>The amount must be a whole number other than zero, like 25 or -10.</source>
      <translation>Jumlah harus bilangan bulat selain nol, seperti 25 atau -10.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="51" />
      <source>Say why you adjust this card; the reason goes in the ledger.</source>
      <translation>Tulis alasan penyesuaian kartu ini; alasan dicatat di buku besar.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="60" />
      <source>points</source>
      <translation>poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="60" />
      <source>stamps</source>
      <translation>stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/adjust_page.py" line="61" />
      <source>Card %1: %2 %3 recorded.</source>
      <translation>Kartu %1: %2 %3 dicatat.</translation>
    </message>
  </context>
  <context>
    <name>BarChart</name>
    <message>
      <location filename="../../terminal/ui/owner/bar_chart.py" line="47" />
      <source>Nothing recorded on this day.</source>
      <translation>Tidak ada catatan pada hari ini.</translation>
    </message>
  </context>
  <context>
    <name>EnrollPage</name>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="27" />
      <source>Customer's name (optional)</source>
      <translation>Nama pelanggan (opsional)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="28" />
      <source>Enroll new card</source>
      <translation>Daftarkan kartu baru</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="30" />
      <source>Card code</source>
      <translation>Kode kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="31" />
      <source>Show card</source>
      <translation>Tampilkan kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="33" />
      <source>The new card appears here.</source>
      <translation>Kartu baru tampil di sini.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="36" />
      <source>Print…</source>
      <translation>Cetak…</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="38" />
      <source>Save as PDF…</source>
      <translation>Simpan sebagai PDF…</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="43" />
      <source>Program</source>
      <translation>Program</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="44" />
      <source>Holder</source>
      <translation>Pemegang</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="47" />
      <source>Reprint a card:</source>
      <translation>Cetak ulang kartu:</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="75" />
      <source>There is no program to enroll into yet. Set one up first.</source>
      <translation>Belum ada program untuk pendaftaran. Buat program dulu.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="89" />
      <source>Card %1 is enrolled. Print it or save it as PDF.</source>
      <translation>Kartu %1 sudah terdaftar. Cetak atau simpan sebagai PDF.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="94" />
      <source>Type or scan the card code.</source>
      <translation>Ketik atau pindai kode kartu.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="108" />
      <source>Sent to the printer.</source>
      <translation>Dikirim ke printer.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="113" />
      <source>Save card as PDF</source>
      <translation>Simpan kartu sebagai PDF</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="114" />
      <source>PDF files (*.pdf)</source>
      <translation>Berkas PDF (*.pdf)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="121" />
      <source>Saved %1.</source>
      <translation>Tersimpan: %1.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/enroll_page.py" line="123" />
      <source>Could not write %1. Pick a folder you can write to.</source>
      <translation>Tidak dapat menulis %1. Pilih folder yang dapat ditulisi.</translation>
    </message>
  </context>
  <context>
    <name>EntryKind</name>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="18" />
      <source>Enrolled</source>
      <translation>Terdaftar</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="19" />
      <source>Stamp</source>
      <translation>Stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="20" />
      <source>Stamp reward</source>
      <translation>Hadiah stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="21" />
      <source>Points earned</source>
      <translation>Poin diperoleh</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="22" />
      <source>Points reward</source>
      <translation>Hadiah poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="23" />
      <source>Adjustment</source>
      <translation>Penyesuaian</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="24" />
      <source>Void</source>
      <translation>Pembatalan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/widgets.py" line="25" />
      <source>Points expired</source>
      <translation>Poin kedaluwarsa</translation>
    </message>
  </context>
  <context>
    <name>HistoryPage</name>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="31" />
      <source>Any card</source>
      <translation>Semua kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="34" />
      <source>Everything</source>
      <translation>Semua</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="37" />
      <location filename="../../terminal/ui/owner/history_page.py" line="38" />
      <source>YYYY-MM-DD</source>
      <translation>TTTT-BB-HH</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="39" />
      <source>Show</source>
      <translation>Tampilkan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="41" />
      <source>Export CSV…</source>
      <translation>Ekspor CSV…</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="43" />
      <source>When</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="43" />
      <location filename="../../terminal/ui/owner/history_page.py" line="47" />
      <source>Card</source>
      <translation>Kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="43" />
      <source>What</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="43" />
      <source>Stamps</source>
      <translation>Stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="44" />
      <source>Points</source>
      <translation>Poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="44" />
      <source>Amount</source>
      <translation>Nominal</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="44" />
      <location filename="../../terminal/ui/owner/history_page.py" line="49" />
      <source>Staff</source>
      <translation>Staf</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="44" />
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="51" />
      <source>Kind</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="53" />
      <location filename="../../terminal/ui/owner/history_page.py" line="84" />
      <source>From day</source>
      <translation>Dari tanggal</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="55" />
      <source>To day (included)</source>
      <translation>Sampai tanggal (termasuk)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="75" />
      <source>Everyone</source>
      <translation>Semua staf</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="85" />
      <source>To day</source>
      <translation>Sampai tanggal</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="99" />
      <source>%1: type a date as YYYY-MM-DD, for example 2026-03-10, or leave it empty.</source>
      <translation>%1: ketik tanggal sebagai TTTT-BB-HH, misalnya 2026-03-10, atau kosongkan.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="120" />
      <source>Showing the newest %1 entries; narrow the filter or export CSV for all.</source>
      <translation>Menampilkan %1 catatan terbaru; persempit filter atau ekspor CSV untuk semuanya.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="129" />
      <source>Export history as CSV</source>
      <translation>Ekspor riwayat sebagai CSV</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="130" />
      <source>CSV files (*.csv)</source>
      <translation>Berkas CSV (*.csv)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="144" />
      <source>Could not write %1. Pick a folder you can write to.</source>
      <translation>Tidak dapat menulis %1. Pilih folder yang dapat ditulisi.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/history_page.py" line="150" />
      <source>%1 entries written to %2.</source>
      <translation>%1 catatan ditulis ke %2.</translation>
    </message>
  </context>
  <context>
    <name>OwnerArea</name>
    <message>
      <location filename="../../terminal/ui/owner/area.py" line="58" />
      <source>Today's report</source>
      <translation>Laporan hari ini</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/area.py" line="58" />
      <source>Staff and PINs</source>
      <translation>Staf dan PIN</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/area.py" line="59" />
      <source>Adjust points</source>
      <translation>Sesuaikan poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/area.py" line="59" />
      <source>Void an entry</source>
      <translation>Batalkan catatan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/area.py" line="60" />
      <source>Program settings</source>
      <translation>Pengaturan program</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/area.py" line="60" />
      <source>Enroll and print cards</source>
      <translation>Daftar dan cetak kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/area.py" line="61" />
      <source>History and export</source>
      <translation>Riwayat dan ekspor</translation>
    </message>
  </context>
  <context>
    <name>ProgramPage</name>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="39" />
      <source>no cap</source>
      <translation>tanpa batas</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="40" />
      <source>never</source>
      <translation>tidak pernah</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="41" />
      <location filename="../../terminal/ui/owner/program_page.py" line="42" />
      <source>store default</source>
      <translation>bawaan toko</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="43" />
      <source>Save settings</source>
      <translation>Simpan pengaturan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="51" />
      <source>Rules</source>
      <translation>Aturan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="53" />
      <source>Stamps for a reward</source>
      <translation>Stempel untuk satu hadiah</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="54" />
      <source>Points per currency unit</source>
      <translation>Poin per satuan mata uang</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="55" />
      <source>Minimum purchase for points</source>
      <translation>Pembelian minimum untuk poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="56" />
      <source>Most points per purchase</source>
      <translation>Poin maksimum per pembelian</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="57" />
      <source>Points expire after (days)</source>
      <translation>Poin kedaluwarsa setelah (hari)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="58" />
      <source>Minutes between stamps</source>
      <translation>Menit antar stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="59" />
      <source>Stamps per card per day</source>
      <translation>Stempel per kartu per hari</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="137" />
      <source>Minimum purchase: %1</source>
      <translation>Pembelian minimum: %1</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="140" />
      <source>Nothing was changed.</source>
      <translation>Tidak ada yang diubah.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/program_page.py" line="147" />
      <source>The program settings were saved.</source>
      <translation>Pengaturan program disimpan.</translation>
    </message>
  </context>
  <context>
    <name>ReportPage</name>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="27" />
      <source>Refresh</source>
      <translation>Muat ulang</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="29" />
      <source>Staff</source>
      <translation>Staf</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="29" />
      <location filename="../../terminal/ui/owner/report_page.py" line="86" />
      <source>Stamps</source>
      <translation>Stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="29" />
      <source>Points earned</source>
      <translation>Poin diperoleh</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="30" />
      <location filename="../../terminal/ui/owner/report_page.py" line="86" />
      <source>Redemptions</source>
      <translation>Penukaran</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="30" />
      <source>Voids</source>
      <translation>Pembatalan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="30" />
      <source>Adjustments</source>
      <translation>Penyesuaian</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="31" />
      <location filename="../../terminal/ui/owner/report_page.py" line="86" />
      <source>Refusals</source>
      <translation>Penolakan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="31" />
      <source>Wrong PINs</source>
      <translation>PIN salah</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="36" />
      <source>Day</source>
      <translation>Hari</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="45" />
      <source>Worth a look</source>
      <translation>Perlu diperiksa</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="79" />
      <source>All staff</source>
      <translation>Semua staf</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="84" />
      <source>Nothing unusual.</source>
      <translation>Tidak ada yang janggal.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="86" />
      <source>Purchases</source>
      <translation>Pembelian</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="96" />
      <source>%1 stamped card %3 %2 times.</source>
      <translation>%1 memberi stempel pada kartu %3 sebanyak %2 kali.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="97" />
      <source>%1 was refused %2 times (cooldowns, limits, balances).</source>
      <translation>%1 ditolak %2 kali (jeda, batas, saldo).</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="98" />
      <source>%1 voided %2 entries.</source>
      <translation>%1 membatalkan %2 catatan.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/report_page.py" line="99" />
      <source>%2 wrong PINs were typed for %1.</source>
      <translation>%2 PIN salah diketik untuk %1.</translation>
    </message>
  </context>
  <context>
    <name>RewardsEditor</name>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="22" />
      <source>Rewards</source>
      <translation>Hadiah</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="27" />
      <source>Reward</source>
      <translation>Hadiah</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="27" />
      <source>Stamps</source>
      <translation>Stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="27" />
      <source>Points</source>
      <translation>Poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="27" />
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="48" />
      <source>Stock</source>
      <translation>Stok</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="28" />
      <source>From</source>
      <translation>Dari</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="28" />
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="50" />
      <source>Last day</source>
      <translation>Hari terakhir</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="30" />
      <source>e.g. Free coffee</source>
      <translation>mis. Kopi gratis</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="34" />
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="67" />
      <source>unlimited</source>
      <translation>tak terbatas</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="36" />
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="37" />
      <source>YYYY-MM-DD (optional)</source>
      <translation>TTTT-BB-HH (opsional)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="38" />
      <source>Add as new reward</source>
      <translation>Tambah sebagai hadiah baru</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="40" />
      <source>Save selected reward</source>
      <translation>Simpan hadiah terpilih</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="42" />
      <source>Retire selected reward</source>
      <translation>Hentikan hadiah terpilih</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="45" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="46" />
      <source>Cost in stamps</source>
      <translation>Harga dalam stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="47" />
      <source>Cost in points</source>
      <translation>Harga dalam poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="49" />
      <source>Available from</source>
      <translation>Tersedia mulai</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="108" />
      <source>Type dates as YYYY-MM-DD, for example 2026-12-31, or leave them empty.</source>
      <translation>Ketik tanggal sebagai TTTT-BB-HH, misalnya 2026-12-31, atau kosongkan.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="117" />
      <source>Reward %1 saved.</source>
      <translation>Hadiah %1 disimpan.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/rewards_editor.py" line="123" />
      <source>%1 is no longer offered.</source>
      <translation>%1 tidak lagi ditawarkan.</translation>
    </message>
  </context>
  <context>
    <name>StaffPage</name>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="19" />
      <location filename="../../terminal/ui/owner/staff_page.py" line="23" />
      <location filename="../../terminal/ui/owner/staff_page.py" line="32" />
      <source>Name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="19" />
      <location filename="../../terminal/ui/owner/staff_page.py" line="33" />
      <source>Role</source>
      <translation>Peran</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="19" />
      <source>Active</source>
      <translation>Aktif</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="19" />
      <source>Locked until</source>
      <translation>Terkunci sampai</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="25" />
      <location filename="../../terminal/ui/owner/staff_page.py" line="70" />
      <source>Cashier</source>
      <translation>Kasir</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="26" />
      <location filename="../../terminal/ui/owner/staff_page.py" line="70" />
      <source>Owner</source>
      <translation>Pemilik</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="27" />
      <source>PIN (4 to 8 digits)</source>
      <translation>PIN (4 sampai 8 angka)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="28" />
      <source>Add staff member</source>
      <translation>Tambah staf</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="30" />
      <source>New staff member</source>
      <translation>Staf baru</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="34" />
      <source>PIN</source>
      <translation>PIN</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="37" />
      <source>New name</source>
      <translation>Nama baru</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="38" />
      <source>Rename</source>
      <translation>Ganti nama</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="40" />
      <source>New PIN</source>
      <translation>PIN baru</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="41" />
      <source>Reset PIN</source>
      <translation>Atur ulang PIN</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="43" />
      <source>Unlock</source>
      <translation>Buka kunci</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="45" />
      <source>Deactivate</source>
      <translation>Nonaktifkan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="47" />
      <source>Selected staff member</source>
      <translation>Staf terpilih</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="73" />
      <source>yes</source>
      <translation>ya</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="73" />
      <source>no</source>
      <translation>tidak</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="102" />
      <source>Type the new staff member's name.</source>
      <translation>Ketik nama staf baru.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="105" />
      <source>Type a PIN for the new staff member (4 to 8 digits).</source>
      <translation>Ketik PIN untuk staf baru (4 sampai 8 angka).</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="108" />
      <source>%1 was added.</source>
      <translation>%1 ditambahkan.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="116" />
      <source>Type the new name.</source>
      <translation>Ketik nama baru.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="119" />
      <source>Renamed to %1.</source>
      <translation>Nama diganti menjadi %1.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="126" />
      <source>Type the new PIN (4 to 8 digits).</source>
      <translation>Ketik PIN baru (4 sampai 8 angka).</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="130" />
      <source>%1 has a new PIN and is unlocked.</source>
      <translation>%1 memiliki PIN baru dan tidak terkunci.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="136" />
      <source>%1 is unlocked.</source>
      <translation>Kunci %1 dibuka.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/staff_page.py" line="142" />
      <source>%1 can no longer confirm actions.</source>
      <translation>%1 tidak dapat lagi mengonfirmasi transaksi.</translation>
    </message>
  </context>
  <context>
    <name>TiersEditor</name>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="18" />
      <source>Tiers</source>
      <translation>Tingkat</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="23" />
      <source>Tier</source>
      <translation>Tingkat</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="23" />
      <source>From lifetime points</source>
      <translation>Mulai dari total poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="24" />
      <source>Points multiplier (%)</source>
      <translation>Pengali poin (%)</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="27" />
      <source>Add tier</source>
      <translation>Tambah tingkat</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="29" />
      <source>Remove tier</source>
      <translation>Hapus tingkat</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="31" />
      <source>Save tiers</source>
      <translation>Simpan tingkat</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="65" />
      <source>Tier %1 needs a name.</source>
      <translation>Tingkat %1 perlu nama.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="69" />
      <source>Tier %1: lifetime points and multiplier are whole numbers, like 1000 and 125.</source>
      <translation>Tingkat %1: total poin dan pengali berupa bilangan bulat, seperti 1000 dan 125.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/tiers_editor.py" line="88" />
      <source>The tiers were saved.</source>
      <translation>Tingkat disimpan.</translation>
    </message>
  </context>
  <context>
    <name>VoidPage</name>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="27" />
      <source>Card code</source>
      <translation>Kode kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="29" />
      <source>Find entries</source>
      <translation>Cari catatan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="31" />
      <source>When</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="31" />
      <source>What</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="31" />
      <source>Stamps</source>
      <translation>Stempel</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="31" />
      <source>Points</source>
      <translation>Poin</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="32" />
      <location filename="../../terminal/ui/owner/void_page.py" line="42" />
      <source>Reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="32" />
      <source>Voided</source>
      <translation>Dibatalkan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="34" />
      <source>Why (required), e.g. stamped the wrong card</source>
      <translation>Alasan (wajib), mis. salah memberi stempel kartu</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="35" />
      <source>Void selected entry</source>
      <translation>Batalkan catatan terpilih</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="58" />
      <source>Type or scan the card code.</source>
      <translation>Ketik atau pindai kode kartu.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="72" />
      <source>voided</source>
      <translation>dibatalkan</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="92" />
      <source>Pick the entry to void in the list.</source>
      <translation>Pilih catatan yang akan dibatalkan di daftar.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="95" />
      <source>Say why you void this entry; the reason goes in the ledger.</source>
      <translation>Tulis alasan pembatalan catatan ini; alasan dicatat di buku besar.</translation>
    </message>
    <message>
      <location filename="../../terminal/ui/owner/void_page.py" line="101" />
      <source>The entry on card %1 was voided.</source>
      <translation>Catatan pada kartu %1 dibatalkan.</translation>
    </message>
  </context>
</TS>
