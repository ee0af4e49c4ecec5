"""What a person wants, from a sentence: which service, and whether the sentence already
tells the story.

Each service has strong cues (words that say it: "lapor", "salinan", "status") and weak ones
(words that lean to it: "rusak" leans to a complaint, "minta" to a request). A score per
service is the sum of its cues, longer phrases weighing more; the best score wins, and the
gap to the runner-up is the confidence. A few rules carry what plain sums get wrong:
- a request verb with a document or data ("minta data", "boleh minta salinan") is a request
  for information, even when the data is about a problem ("minta data jalan rusak");
- problem words with no request verb are a complaint, even when they name data ("data KK
  saya salah");
- a tracking code in the message is a status question (or an objection, if it says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.understanding.answers import NEGATORS
from bot.understanding.lexicon import Lexicon
from bot.understanding.normalise import Words, grams_of

REQUEST_VERBS = frozenset(
    {
        ("minta",),
        ("meminta",),
        ("mohon",),
        ("memohon",),
        ("boleh",),
        ("bisa", "minta"),
        ("mau", "tahu"),
        ("ingin", "tahu"),
        ("mau", "minta"),
        ("tolong", "kirim"),
        ("mau", "lihat"),
        ("bisa", "lihat"),
        ("berapa",),
        ("ada", "tidak"),
        ("apakah",),
        ("siapa", "saja"),
        ("tanya",),
        ("bertanya",),
        ("butuh",),
        ("perlu",),
        ("cari",),
        ("mencari",),
        ("mau", "tanya"),
        ("request",),
        ("dapat",),
        ("memperoleh",),
        ("minta", "tolong", "kirim"),
    }
)
# Things one asks to be given (a request), as opposed to things one asks to be fixed.
DOCUMENTS = frozenset(
    {
        "informasi",
        "salinan",
        "copy",
        "fotokopi",
        "dokumen",
        "data",
        "daftar",
        "rincian",
        "anggaran",
        "apbd",
        "apbdes",
        "sk",
        "perda",
        "perbup",
        "peraturan",
        "jadwal",
        "syarat",
        "persyaratan",
        "prosedur",
        "statistik",
        "jumlah",
        "rekap",
        "rekapitulasi",
        "kontrak",
        "realisasi",
        "lpj",
        "rab",
        "dpa",
        "notulen",
        "arsip",
        "tarif",
        "retribusi",
        "regulasi",
        "penerima",
        "laporan",
        "alokasi",
        "biaya",
        "rencana",
        "hasil",
        "nama",
        "tender",
        "lelang",
        "pengadaan",
        "dana",
        "program",
        "peta",
        "formulir",
        "berkas",
        "brosur",
        "izin",
        # English
        "report",
        "budget",
        "document",
        "list",
    }
)
_OBJECTING = frozenset(
    {
        ("ajukan", "keberatan"),
        ("mengajukan", "keberatan"),
        ("mau", "keberatan"),
        ("mau", "ajukan"),
        ("saya", "keberatan"),
        ("keberatan", "dengan"),
        ("keberatan", "atas"),
        ("banding",),
        ("sengketa",),
    }
)
_QUESTION_TAGS = frozenset({"bisa", "boleh", "mau", "ada", "apa", "sudah"})
_REPORTING = frozenset({"lapor", "laporan", "adu", "pengaduan", "mengadu", "melapor", "keluh"})
SERVICES = ("complaint", "aspiration", "information", "status", "mine", "objection")
# Of the words of a message, these say nothing about its subject: a message of only these
# (and cue words) tells no story yet.
_FUNCTION = frozenset(
    {
        "saya",
        "mau",
        "ingin",
        "bisa",
        "ada",
        "yang",
        "untuk",
        "dengan",
        "soal",
        "tentang",
        "mengenai",
        "masalah",
        "ke",
        "dari",
        "apa",
        "dong",
        "tolong",
        "mohon",
        "minta",
        "bagaimana",
        "caranya",
        "cara",
        "disini",
        "sini",
        "buat",
        "bikin",
        "kirim",
        "mengirim",
        "sampaikan",
        "menyampaikan",
        "terima",
        "kasih",
        "sebuah",
        "satu",
        "hal",
        "pada",
        "kepada",
        "atas",
        "akan",
        "boleh",
        "tidak",
        "iya",
        "oke",
        "halo",
        "baru",
        "lagi",
        "juga",
        "sudah",
        "belum",
        "nya",
        "kalau",
        "karena",
        "tapi",
    }
)


@dataclass(frozen=True)
class IntentReading:
    intent: str | None
    confidence: float
    story: bool  # the message itself tells what it is about
    scores: dict[str, float]


# Services that name something of the person's own ("data saya", "laporan saya", "jawaban
# PPID"): said outright, they outweigh the general words of a request or a complaint.
_PERSONAL = ("privacy", "mine", "objection")


def _score(message: Words, lexicon: Lexicon) -> tuple[dict[str, float], set[str]]:
    grams = message.grams
    scores: dict[str, float] = {}
    cue_words: set[str] = set()
    strong_hit: set[str] = set()
    referred_status = False
    for name, cues in lexicon.intents.items():
        total = 0.0
        referred = cues.refers & grams
        strong = cues.strong | (cues.referred if referred else frozenset())
        if referred and cues.referred & grams:
            referred_status = True
        for phrase in strong & grams:
            # How a message opens frames it: "saran: dukcapil bikin antrian online" is an
            # idea, whatever problems it names after.
            opening = message.core[: len(phrase) + 2]
            framing = any(opening[i : i + len(phrase)] == phrase for i in range(3))
            total += (2.0 + len(phrase)) * (2.0 if framing else 1.0)
            cue_words.update(phrase)
            strong_hit.add(name)
        if not cues.refers or referred or name in strong_hit:
            for phrase in cues.weak & grams:
                total += 0.5 + 0.5 * len(phrase)
                if name not in ("complaint", "aspiration"):
                    cue_words.update(phrase)
        scores[name] = total
    if referred_status:
        # "usulan saya minggu lalu, bagaimana kelanjutannya?": the report named is the
        # subject of a status question, not a new one
        for general in ("complaint", "aspiration", "information"):
            scores[general] *= 0.5
    if strong_hit & set(_PERSONAL):
        for general in ("information", "complaint", "help"):
            scores[general] *= 0.5
    return scores, cue_words


# Before a request verb, these make it something told rather than asked: a request made
# before ("kemarin sy minta salinan SKTM, disuruh bayar"), or someone else's ("petugas yang
# meminta imbalan").
_TOLD_BEFORE = frozenset(
    {"kemarin", "tadi", "pernah", "dulu", "sempat", "waktu", "sudah"}
    | {"yang", "dia", "mereka", "petugas", "oknum", "pegawai", "katanya"}
)
_ASKING = frozenset({("tanya",), ("bertanya",), ("mau", "tanya")})
_WHY = frozenset({"kenapa", "mengapa"})
# "daftar" is a list (a document) and also "to register": after these it is the verb
# ("gk bisa daftar smp").
_BEFORE_A_VERB = frozenset(
    {"bisa", "mau", "ingin", "sudah", "belum", "cara", "gagal", "tidak", "ditolak", "susah"}
    | {"sulit", "harus", "untuk", "baru", "waktu", "saat"}
)
# A request verb that opens with one of these is asked now ("kemarin rumah kami kebanjiran.
# mau minta data bantuan"), whatever came before it.
_NOW = frozenset({"mau", "ingin", "bisa", "boleh", "tolong"})
# "ini bukan komplain, cuma saran": a complaint word denied is no complaint
_DENIED = frozenset({"komplain", "keluhan", "protes", "pengaduan", "aduan", "lapor", "laporan"})
# "laporan realisasi", "laporan keuangan": a report the government keeps, a document, not the
# citizen's own report
_REPORT_KINDS = frozenset(
    {"realisasi", "keuangan", "pertanggungjawaban", "tahunan", "kinerja", "anggaran", "akhir"}
    | {"penggunaan", "hasil", "audit", "lkpd", "lppd"}
)
# Telling something ("mau kasih informasi: …"), never asking for it.
_INFORMING = frozenset(
    {("kasih", "informasi"), ("beri", "informasi"), ("memberi", "informasi")}
    | {("memberikan", "informasi"), ("menginformasikan",), ("kasih", "info"), ("mau", "info")}
)
# How many or how much, asked: a request for data ("mau tanya ada berapa sekolah yg rusak").
_QUANTITY = frozenset({"berapa", "jumlah", "jumlahnya"})


@dataclass(frozen=True)
class Request:
    verb: tuple[str, ...] | None  # the request verb, when a document is asked for now
    told: bool  # a request for a document told as past or as someone else's


def _request_in(core: tuple[str, ...]) -> Request:
    """A request verb with a document or data a few words after it: "minta salinan SK",
    "boleh sy minta data penerima". "minta tolong …" asks for help, not for a document;
    "kemarin sy minta salinan …, disuruh bayar" tells of a request, it does not make one (the
    story is about what came of it)."""
    told = False
    for start in range(len(core)):
        for size in (3, 2, 1):
            verb = tuple(core[start : start + size])
            if verb not in REQUEST_VERBS:
                continue
            after = core[start + size : start + size + 4]
            if verb[0] not in _NOW and _TOLD_BEFORE & set(core[max(0, start - 2) : start]):
                told = told or any(w in DOCUMENTS for w in after)
                break
            if after[:1] == ("tolong",) and "kirim" not in after:
                break
            if any(w in DOCUMENTS for w in after):
                return Request(verb, told)
            quantity = next((i for i, w in enumerate(after) if w in _QUANTITY), None)
            if quantity is not None and after[quantity + 1 : quantity + 2] != ("lama",):
                return Request(verb, told)  # "berapa lama lagi?" asks when, not for data
            break
    return Request(None, told)


def _as_meant(message: Words) -> Words:
    """ "daftar" after "bisa", "mau", "tidak"… is "mendaftar" (to register), no document; a
    complaint word after "bukan" is denied ("ini bukan komplain, cuma saran")."""

    def read(tokens: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for i, w in enumerate(tokens):
            before = tokens[i - 1] if i > 0 else ""
            if w == "daftar" and before in _BEFORE_A_VERB:
                out.append("mendaftar")
            elif w in _DENIED and before == "bukan":
                out.append("(disangkal)")
            elif w == "laporan" and i + 1 < len(tokens) and tokens[i + 1] in _REPORT_KINDS:
                out.append("dokumen")
            else:
                out.append(w)
        return tuple(out)

    if not ({"daftar", "bukan", "laporan"} & set(message.core)):
        return message
    return Words(read(message.words), read(message.core), message.stars)


def read_intent(
    message: Words, lexicon: Lexicon, *, has_code: bool, text_marks: str = ""
) -> IntentReading:
    """text_marks: the punctuation typed ("?" tells a question from a statement)."""
    message = _as_meant(message)
    scores, cue_words = _score(message, lexicon)
    grams = message.grams
    core = message.core
    request = _request_in(core)
    verb = request.verb
    if verb in _ASKING and _WHY & set(core) and scores["complaint"] > 0:
        # "mau tanya informasi, knp air pdam mati trs?": a why about a problem is a complaint
        verb = None
    requesting = verb is not None
    if not requesting and request.told:
        scores["information"] *= 0.4
    documents = [w for w in core if w in DOCUMENTS]
    negated_problem = any(
        w in NEGATORS
        and i + 1 < len(core)
        and core[i + 1] not in DOCUMENTS
        and not (i > 0 and core[i - 1] in _QUESTION_TAGS)  # "bisa tidak dibangun?" asks
        for i, w in enumerate(core)
    )
    personal = any(lexicon.intents[name].strong & grams for name in _PERSONAL)
    content = [w for w in core if w not in cue_words and w not in _FUNCTION]
    informing = not requesting and (
        bool(_INFORMING & grams)
        or (
            ("informasi",) in grams
            and "?" not in text_marks
            and {p for p in lexicon.intents["information"].strong if p in grams} <= {("informasi",)}
            and len(content) >= 3
        )
    )
    if informing:
        # "informasi pak, di desa kami …": telling something, not asking for a document
        scores["information"] *= 0.3
        scores["complaint"] += 1.0
    if requesting and not personal and not has_code:  # a code: the document is their case
        scores["information"] += 4.0
    elif "?" not in text_marks and scores["complaint"] > 0:
        # Data named in a complaint, not asked for ("nama saya dicoret dari penerima BLT")
        scores["information"] *= 0.5
    elif documents and scores["complaint"] > 0:
        scores["information"] *= 0.5  # "data KK saya salah": the data is what is wrong
    if negated_problem and not requesting:
        scores["complaint"] += 1.0
    if has_code:
        # A code says which case; "keberatan" beside it may just name the case ("keberatan
        # saya K-… bagaimana?"), so only asking to object makes it an objection.
        scores["status"] += 10.0
        if _OBJECTING & grams:
            scores["objection"] += 7.0
    small_talk = {"greeting", "thanks"}
    story = len(content) >= 2 or (len(content) >= 1 and scores["complaint"] > 0)
    if story:
        # A message that tells something is no mere greeting or thanks ("selamat pagi, jalan
        # di desa kami rusak").
        for name in small_talk:
            scores[name] *= 0.2
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_second, runner) = ranked[0], ranked[1]
    opening = grams_of(core[:5])
    helping = bool(lexicon.intents["help"].strong & opening)  # asked up front, not in passing
    if story and (best in small_talk or (best == "help" and not helping)):
        # "tabe pak, jalan ke kampung kami …": the greeting opens a story it does not name
        return IntentReading(None, 0.0, True, scores)
    if story and best == "help" and _REPORTING & set(core) and len(content) >= 3:
        # "bikin laporan gmn caranya? ada yg buang limbah ke sungai": how to report, and
        # then the report itself
        return IntentReading("complaint", 0.6, True, scores)
    if top <= 0:
        return IntentReading(None, 0.0, story, scores)
    # The gap to the runner-up, scaled by how much was said: one weak cue ("rusak" alone) is
    # a lean, not a decision.
    margin = (top - runner) / max(top, 1.0)
    confidence = min(1.0, margin * min(1.0, top / 3.0) + (0.25 if top >= 5 else 0.0))
    if best == "information" and not requesting and scores["complaint"] > 0:
        # Documents named beside a problem, and nothing asked for: the story may be about
        # what went wrong with them. Taking a complaint for a request costs the citizen far
        # more than one short question.
        confidence = min(confidence, 0.45)
    return IntentReading(best, round(confidence, 3), story and best in SERVICES, scores)


def complaint_type(message: Words, lexicon: Lexicon) -> str | None:
    """pengaduan (something is wrong) or aspirasi (an idea), when the words say which. A story
    that says something is not done ("petugas tdk pernah lewat") is a complaint."""
    scores, _cues = _score(message, lexicon)
    complaint, aspiration = scores["complaint"], scores["aspiration"]
    if complaint == aspiration == 0 and any(w in NEGATORS for w in message.core):
        return "pengaduan"
    if complaint == aspiration:
        return None
    return "pengaduan" if complaint > aspiration else "aspirasi"
