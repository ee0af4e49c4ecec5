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
from bot.understanding.normalise import Words

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
        ("kapan",),
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
        "kopi",
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
    }
)
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


def _score(message: Words, lexicon: Lexicon) -> tuple[dict[str, float], set[str]]:
    grams = message.grams()
    scores: dict[str, float] = {}
    cue_words: set[str] = set()
    for name, cues in lexicon.intents.items():
        total = 0.0
        for phrase in cues.strong & grams:
            total += 2.0 + len(phrase)
            cue_words.update(phrase)
        for phrase in cues.weak & grams:
            total += 0.5 + 0.5 * len(phrase)
            if name not in ("complaint", "aspiration"):
                cue_words.update(phrase)
        scores[name] = total
    return scores, cue_words


def read_intent(message: Words, lexicon: Lexicon, *, has_code: bool) -> IntentReading:
    scores, cue_words = _score(message, lexicon)
    grams = message.grams()
    core = message.core
    requesting = bool(REQUEST_VERBS & grams)
    documents = [w for w in core if w in DOCUMENTS]
    negated_problem = any(
        w in NEGATORS and i + 1 < len(core) and core[i + 1] not in DOCUMENTS
        for i, w in enumerate(core)
    )
    if requesting and documents:
        scores["information"] += 4.0
    elif documents and scores["complaint"] > 0 and not requesting:
        scores["information"] *= 0.5  # "data KK saya salah": the data is what is wrong
    if negated_problem and not requesting:
        scores["complaint"] += 1.0
    if has_code:
        scores["status"] += 6.0
        if scores["objection"] > 0:
            scores["objection"] += 6.0
    small_talk = {"greeting", "thanks"}
    content = [w for w in core if w not in cue_words and w not in _FUNCTION]
    story = len(content) >= 2 or (len(content) >= 1 and scores["complaint"] > 0)
    if story:
        # A message that tells something is no mere greeting or thanks ("selamat pagi, jalan
        # di desa kami rusak").
        for name in small_talk:
            scores[name] *= 0.2
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_second, runner) = ranked[0], ranked[1]
    if top <= 0:
        return IntentReading(None, 0.0, story, scores)
    confidence = min(1.0, (top - runner) / max(top, 1.0) + (0.25 if top >= 5 else 0.0))
    return IntentReading(best, round(confidence, 3), story and best in SERVICES, scores)


def complaint_type(message: Words, lexicon: Lexicon) -> str | None:
    """pengaduan (something is wrong) or aspirasi (an idea), when the words say which."""
    scores, _cues = _score(message, lexicon)
    complaint, aspiration = scores["complaint"], scores["aspiration"]
    if complaint == aspiration:
        return None
    return "pengaduan" if complaint > aspiration else "aspirasi"
