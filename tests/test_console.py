"""The console channel as a person would use it: a scripted conversation piped into the
real program, then a second run of the program that finds the case again."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import run_bot

CODE = re.compile(r"[PAIKD]-[2-9A-Z]{4}-[2-9A-Z]{4}")


def chat(tmp_path: Path, lines: list[str], user: str = "budi") -> str:
    result = run_bot(
        tmp_path,
        *("chat", "--user", user),
        database=tmp_path / "console.db",
        stdin="\n".join(lines) + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_file_a_complaint_then_check_it_after_a_restart(tmp_path: Path) -> None:
    transcript = chat(
        tmp_path,
        [
            "halo",
            "1",
            "1",
            "pengaduan",
            "jembatan",
            "Jembatan kayu di dusun kami patah, anak sekolah harus memutar jauh",
            "lanjut",
            "!lokasi -4.3519 119.8866",
            "!foto jembatan.jpg",
            "selesai",
            "anonim",
            "kirim",
        ],
    )
    assert "Kode pelacakan" in transcript
    code = CODE.search(transcript)
    assert code is not None
    again = chat(tmp_path, [code.group(0)])
    assert "Diterima, menunggu verifikasi" in again
    assert "Selamat datang" not in again  # the same person, remembered


def test_bad_input_never_crashes_the_program(tmp_path: Path) -> None:
    transcript = chat(
        tmp_path,
        [
            "",
            "halo",
            "9",
            "1",
            "1",
            "1",
            "1",
            "x" * 10_000,
            "🙏🙏🙏",
            "!stiker",
            "!suara",
            "P-2345-6789",
            "menu",
            "/tidakada",
        ],
    )
    assert "Pilih bahasa" in transcript
    assert "Balas *1* untuk Bahasa Indonesia" in transcript
    assert "sudah kami simpan utuh" in transcript  # 10,000 characters, kept
    assert "Perintah itu tidak dikenal" in transcript


def test_one_terminal_plays_the_citizen_and_the_officer(tmp_path: Path) -> None:
    added = run_bot(
        tmp_path,
        *("staff", "add", "--channel", "console", "--address", "petugas"),
        *("--role", "ppid_pembantu", "--unit", "dinas-pupr"),
        database=tmp_path / "console.db",
    )
    assert added.returncode == 0, added.stderr
    transcript = chat(
        tmp_path,
        [
            "!sebagai petugas",
            "halo",
            "1",
            "!sebagai budi",
            "halo",
            "1",
            "1",
            "pengaduan",
            "jalan",
            "Jalan poros desa berlubang besar dan tergenang saat hujan",
            "lanjut",
            "lapajung",
            "lewati",
            "biasa",
            "Budi",
            "kirim",
            "!sebagai petugas",
            "1",  # the card's first button: Ambil
        ],
    )
    card = transcript.split("📨 [untuk petugas]")[1]
    assert "Kasus baru untuk unit Anda" in card and "1. ✋ Ambil" in card
    assert "Anda menangani" in transcript
    assert "📨 [untuk budi]" in transcript and "sedang ditindaklanjuti" in transcript
