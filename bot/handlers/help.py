"""`bantuan` for staff: the commands each role may use, on top of the citizen's help."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.i18n import Msg, _, join

OFFICERS = frozenset(
    {Role.ADMIN, Role.KOORDINATOR, Role.PPID_UTAMA, Role.PPID_PEMBANTU, Role.ATASAN_PPID}
)


def staff_help(roles: frozenset[str]) -> Msg | None:
    parts: list[Msg] = []
    if roles & OFFICERS:
        parts.append(
            _(
                "*Perintah petugas*\n"
                "/antrian [lewat | dekat]: antrian unit Anda\n"
                "/kasus KODE: kartu kasus\n"
                "/cari KATA: cari kasus\n"
                "/rekap [TAHUN | DARI SAMPAI]: angka, grafik, file Excel\n"
                "/ambil KODE: tangani kasus\n"
                "/balas KODE teks: balas pelapor (di Telegram: balas kartu kasusnya)\n"
                "/tanya KODE pertanyaan: minta penjelasan pelapor\n"
                "/teruskan KODE KODE-UNIT alasan: teruskan ke unit lain\n"
                "/bukanwewenang KODE instansi: bukan wewenang, sebut instansi yang berwenang\n"
                "/catatan KODE teks: catatan internal, tidak terlihat pelapor\n"
                "/selesai KODE ringkasan: tandai selesai (boleh sebagai keterangan foto)\n"
                "Tanpa teks, perintah itu menanyakannya langkah demi langkah."
            )
        )
    if roles & {Role.KOORDINATOR, Role.ADMIN, Role.PPID_UTAMA}:
        parts.append(_("/verifikasi KODE: verifikasi dan disposisi\n/arsip KODE alasan: arsipkan"))
    if roles & {Role.PPID_UTAMA, Role.PPID_PEMBANTU, Role.ADMIN}:
        parts.append(
            _(
                "*Permohonan informasi*\n"
                "/perpanjang KODE HARI alasan: perpanjang sekali, paling lama 7 hari kerja\n"
                "/putus KODE diberikan | sebagian | ditolak | tidakdikuasai [17h] keterangan: "
                "kirim pemberitahuan tertulis"
            )
        )
    if Role.ATASAN_PPID in roles:
        parts.append(
            _(
                "*Keberatan*\n/putus KODE diterima | ditolak pertimbangan\n"
                "/sengketa KODE: catat bila pemohon membawanya ke Komisi Informasi"
            )
        )
    if Role.ADMIN in roles:
        parts.append(
            _(
                "*Admin*\n/undang PERAN [KODE-UNIT | KODE-DESA NAMA-KIM]: buat undangan\n"
                "/cabut KODE-UNDANGAN: cabut undangan\n"
                "/gagal: pesan yang gagal terkirim; /kirimulang NOMOR | semua"
            )
        )
    if Role.KIM in roles:
        parts.append(
            _(
                "*Relawan KIM*\n/laporwarga: lapor untuk warga\n"
                "/laporan: laporan yang Anda kirim, untuk diikuti"
            )
        )
    return join(*parts) if parts else None
