"""`bantuan` for staff: the commands each role may use, on top of the citizen's help.

Who sees a case command's line is not decided here: it is the lifecycle's own rule
(`lifecycle.roles_for`), the one that allows or refuses the command itself, so the help can
never promise what the command then refuses. The extension's limit is the agency's.
"""

from __future__ import annotations

from bot.domain.cases import Kind
from bot.domain.commands import OFFICERS, PUSHERS
from bot.domain.lifecycle import Action, roles_for
from bot.domain.roles import Role
from bot.values.messages import Msg, _, join, lines

A = Action
COMPLAINTS = Kind.PENGADUAN
Section = tuple[Msg, list[tuple[Kind, Action, Msg]]]  # a heading; (kind, action, line)


def _sections(extension: int) -> list[Section]:
    """Each line with the kind and action whose rule decides who sees it."""
    return [
        (
            _("*Perintah petugas*"),
            [
                (COMPLAINTS, A.TAKE, _("/ambil KODE: tangani kasus")),
                (
                    COMPLAINTS,
                    A.REPLY,
                    _("/balas KODE teks: balas pelapor (di Telegram: balas kartu kasusnya)"),
                ),
                (COMPLAINTS, A.ASK, _("/tanya KODE pertanyaan: minta penjelasan pelapor")),
                (
                    COMPLAINTS,
                    A.FORWARD,
                    _("/teruskan KODE KODE-UNIT alasan: teruskan ke unit lain"),
                ),
                (
                    COMPLAINTS,
                    A.NOT_OURS,
                    _(
                        "/bukanwewenang KODE instansi: bukan wewenang, sebut instansi yang "
                        "berwenang"
                    ),
                ),
                (
                    COMPLAINTS,
                    A.NOTE,
                    _("/catatan KODE teks: catatan internal, tidak terlihat pelapor"),
                ),
                (
                    COMPLAINTS,
                    A.RESOLVE,
                    _("/selesai KODE ringkasan: tandai selesai (boleh sebagai keterangan foto)"),
                ),
                (COMPLAINTS, A.VERIFY, _("/verifikasi KODE: verifikasi dan disposisi")),
                (COMPLAINTS, A.ARCHIVE, _("/arsip KODE alasan: arsipkan")),
            ],
        ),
        (
            _("*Permohonan informasi*"),
            [
                (
                    Kind.INFORMASI,
                    A.EXTEND,
                    _(
                        "/perpanjang KODE HARI alasan: perpanjang sekali, paling lama {days} "
                        "hari kerja",
                        days=extension,
                    ),
                ),
                (
                    Kind.INFORMASI,
                    A.DECIDE,
                    _(
                        "/putus KODE diberikan | sebagian | ditolak | tidakdikuasai [17h] "
                        "[segera | TANGGAL] [biaya RUPIAH | gratis] keterangan: pemberitahuan "
                        "tertulis, ditampilkan dulu sebelum dikirim; untuk sebagian dan "
                        "ditolak: uji konsekuensi | kepentingan publik | yang diberikan"
                    ),
                ),
                (
                    Kind.INFORMASI,
                    A.DELIVER,
                    _(
                        "/serahkan KODE [keterangan]: catat hari informasi yang dikabulkan "
                        "benar-benar diserahkan (sekali)"
                    ),
                ),
            ],
        ),
        (
            _("*Keberatan*"),
            [
                (Kind.KEBERATAN, A.DECIDE, _("/putus KODE diterima | ditolak pertimbangan")),
                (
                    Kind.KEBERATAN,
                    A.DISPUTE,
                    _(
                        "/sengketa KODE [pengadilan | ma]: catat sengketa yang diajukan ke "
                        "Komisi Informasi (atau ke pengadilan, Mahkamah Agung); /sengketa KODE "
                        "putus HASIL [pengadilan | ma]: catat hasilnya bagi pemohon (dikabulkan, "
                        "sebagian, ditolak, tidakditerima, mediasi, gugur, dicabut)"
                    ),
                ),
            ],
        ),
    ]


def may_use(roles: frozenset[str], kind: Kind, action: Action) -> bool:
    """The same question the command asks before it acts."""
    if not roles & OFFICERS:
        return False
    needed = roles_for(kind, action)
    return needed is None or bool(roles & needed)


def staff_help(roles: frozenset[str], extension: int) -> Msg | None:
    """`extension`: the most working days a request may be extended (the agency's clock)."""
    parts: list[Msg] = []
    for number, (heading, entries) in enumerate(_sections(extension)):
        shown = [line for kind, action, line in entries if may_use(roles, kind, action)]
        if number == 0 and roles & OFFICERS:  # what every officer has, before the case commands
            shown = [
                _("/antrian [lewat | dekat]: antrian unit Anda"),
                _("/kasus KODE: kartu kasus"),
                _("/cari KATA: cari kasus"),
                _("/rekap [TAHUN | DARI SAMPAI]: angka, grafik, file Excel"),
                *shown,
            ]
        if shown:
            parts.append(lines(heading, *shown))
    if roles & OFFICERS:
        parts.append(_("Tanpa teks, perintah itu menanyakannya langkah demi langkah."))
    if roles & {r.value for r in PUSHERS}:  # the same rule /siarkan checks
        parts.append(
            _(
                "*Info serta-merta*\n/siarkan WILAYAH KODE-DIP | pengumuman: kirim segera ke "
                "warga yang berlangganan info desa atau kecamatan itu (atau *semua*)"
            )
        )
    if Role.ADMIN in roles:
        parts.append(
            _(
                "*Admin*\n/undang PERAN [KODE-UNIT | KODE-DESA NAMA-KIM]: buat undangan\n"
                "/cabut KODE-UNDANGAN: cabut undangan\n"
                "/gagal: pesan yang gagal terkirim; /kirimulang NOMOR | semua\n"
                "/kebocoran: catat kebocoran data pribadi dan beri tahu yang terdampak"
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
