"""A personal-data breach (UU 27/2022 Pasal 46): what the admin records, the 3×24-hour limit for
telling the people it touches and the authority, and the drafts of both notices. Pure: the
register is `storage.repo.breaches`, the command `bot.handlers.breach`.

Pasal 46 ayat (2) says what the notice holds: which personal data was disclosed, when and how
it was disclosed, and what the controller does to handle it and recover.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.values.messages import Msg, Raw, _, listed

NOTIFY_WITHIN = timedelta(hours=72)  # Pasal 46 ayat (1): paling lambat 3×24 jam

# The kinds of data a breach may touch, with the words an admin types for each.
DATA_KINDS: dict[str, Msg] = {
    "name": _("nama"),
    "nik": _("NIK"),
    "phone": _("nomor HP"),
    "email": _("email"),
    "address": _("alamat"),
    "messages": _("isi laporan dan pesan"),
    "photos": _("foto dan berkas"),
    "chat": _("akun chat"),
}
_WORDS = {
    "nama": "name",
    "name": "name",
    "nik": "nik",
    "ktp": "nik",
    "hp": "phone",
    "telepon": "phone",
    "nomor": "phone",
    "phone": "phone",
    "wa": "phone",
    "email": "email",
    "surel": "email",
    "alamat": "address",
    "address": "address",
    "laporan": "messages",
    "isi": "messages",
    "pesan": "messages",
    "messages": "messages",
    "foto": "photos",
    "berkas": "photos",
    "lampiran": "photos",
    "photos": "photos",
    "chat": "chat",
    "akun": "chat",
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # as Indonesians write 27/11/2026


def _date(word: str) -> date | None:
    if found := _ISO.match(word):
        year, month, day = int(found[1]), int(found[2]), int(found[3])
    elif found := _DMY.match(word):
        day, month, year = int(found[1]), int(found[2]), int(found[3])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Recorded:
    """`/kebocoran catat DARI SAMPAI DATA | apa yang terjadi | apa yang sudah dilakukan`."""

    period_from: date
    period_to: date
    data_kinds: tuple[str, ...]
    what: str
    measures: str


USAGE = _(
    "Format: /kebocoran catat DARI SAMPAI DATA | apa yang terjadi | apa yang sudah dilakukan\n"
    "Contoh: /kebocoran catat 2026-11-01 2026-11-30 nama,nik,hp | Laptop petugas berisi "
    "ekspor rekap hilang | Akun petugas diblokir, sandi diganti, laporan polisi dibuat\n"
    "DARI SAMPAI (2026-11-01 atau 1/11/2026): laporan yang diterima dalam rentang itu "
    "terdampak. DATA: nama, nik, hp, email, alamat, laporan, foto, chat."
)


def parse_record(rest: str) -> Recorded | Msg:
    """The parts of a `catat` line, or what is wrong with it (with the format)."""
    head, _sep, tail = rest.partition("|")
    words = head.split()
    texts = [t.strip() for t in tail.split("|")] if tail else []
    start, end = (_date(words[0]), _date(words[1])) if len(words) >= 3 else (None, None)
    if start is None or end is None:
        return USAGE
    if end < start:
        return _("Tanggal SAMPAI tidak boleh sebelum DARI.")
    typed = [w for part in words[2:] for w in re.split(r"[,;]+", part.lower()) if w]
    kinds = tuple(dict.fromkeys(_WORDS[w] for w in typed if w in _WORDS))
    unknown = [w for w in typed if w not in _WORDS]
    if unknown or not kinds:
        return _(
            "Jenis data tidak dikenal: {words}.\n{usage}",
            words=Raw(", ".join(unknown)),
            usage=USAGE,
        )
    if len(texts) < 2 or not texts[0] or not texts[1]:
        return _(
            "Tulis apa yang terjadi dan apa yang sudah dilakukan, dipisah |.\n{usage}", usage=USAGE
        )
    return Recorded(start, end, kinds, texts[0][:2000], texts[1][:2000])


def deadline(discovered: datetime) -> datetime:
    return discovered + NOTIFY_WITHIN


def kinds_text(kinds: tuple[str, ...] | list[str]) -> Msg:
    return listed(*(DATA_KINDS[k] for k in kinds if k in DATA_KINDS))


def notice_to_subject(
    agency_name: str, discovered: date, kinds: Msg, what: str, measures: str, contact: str
) -> Msg:
    """What each person touched is told (Pasal 46 ayat 2)."""
    return _(
        "🔐 *Pemberitahuan kegagalan pelindungan data pribadi*\n"
        "Dari: {agency}\n\n"
        "Pada {day} kami mengetahui bahwa data pribadi sebagian pengguna layanan ini, "
        "termasuk Anda, mungkin telah terbuka bagi pihak yang tidak berhak.\n"
        "Data yang terdampak: {kinds}.\n"
        "Yang terjadi: {what}\n"
        "Yang sudah kami lakukan: {measures}\n\n"
        "Mohon waspada terhadap pesan atau telepon yang mengatasnamakan kami dan meminta "
        "uang, kode OTP atau data lain: kami tidak pernah memintanya. Pertanyaan: {contact}. "
        "(UU 27/2022 Pasal 46)",
        agency=Raw(agency_name),
        day=discovered,
        kinds=kinds,
        what=Raw(what),
        measures=Raw(measures),
        contact=Raw(contact),
    )


def notice_to_authority(
    agency_name: str,
    authority: str,
    discovered: datetime,
    kinds: Msg,
    what: str,
    measures: str,
    subjects: int,
    cases: int,
) -> Msg:
    """The draft letter to the authority: the admin signs and sends it by official mail."""
    return _(
        "📨 *Draf surat kepada {authority}*\n"
        "Perihal: Pemberitahuan kegagalan pelindungan data pribadi (UU 27/2022 Pasal 46)\n"
        "Pengendali data: {agency}, layanan pengaduan dan informasi Suara Warga\n"
        "Diketahui pada: {when}\n"
        "Data yang terdampak: {kinds}\n"
        "Jumlah subjek data: {subjects} orang ({cases} laporan/permohonan)\n"
        "Kronologi: {what}\n"
        "Penanganan dan pemulihan: {measures}\n"
        "Subjek data diberi tahu melalui chat layanan ini.",
        authority=Raw(authority),
        agency=Raw(agency_name),
        when=Raw(discovered.strftime("%Y-%m-%d %H.%M")),
        kinds=kinds,
        subjects=subjects,
        cases=cases,
        what=Raw(what),
        measures=Raw(measures),
    )
