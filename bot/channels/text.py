"""Rendering for channels without buttons: options become a numbered list."""

from __future__ import annotations

from collections.abc import Sequence


def with_numbered_options(text: str, buttons: Sequence[tuple[str, str]]) -> str:
    if not buttons:
        return text
    lines = [f"{n}. {label}" for n, (_id, label) in enumerate(buttons, start=1)]
    return text + "\n\n" + "\n".join(lines)
