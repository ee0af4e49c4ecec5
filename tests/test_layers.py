"""Imports point inward: the layers of the README's picture, held by the code itself.

Read from each module's syntax tree (top-level and function-level imports alike), so a
lazy import inside a function cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTER = ("bot.engine", "bot.channels", "bot.handlers", "bot.app", "bot.serve", "bot.cli", "storage")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _breaches(folders: tuple[str, ...], banned: tuple[str, ...]) -> list[str]:
    own = tuple(f.replace("/", ".") for f in folders)  # a layer may import itself
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(*folders)
        for name in sorted(_imports(path))
        if _under(name, banned) and not _under(name, own)
    ]


@pytest.mark.parametrize(
    ("folders", "banned"),
    [
        # values: the innermost package; the standard library only
        (("bot/values",), ("bot", "babel", "sqlalchemy", "telegram", "twilio")),
        # the rules and the conversations: pure, no Babel, no I/O layers
        (("bot/domain", "bot/flows"), (*OUTER, "bot.i18n", "babel")),
        # reading free text knows nothing of flows or where messages go
        (("bot/understanding",), (*OUTER, "bot.flows", "bot.i18n")),
        # the handlers answer for the engine, which calls them; never the other way
        (("bot/handlers", "bot/reports"), ("bot.engine", "bot.channels", "bot.app", "bot.serve")),
        # channels parse and call the engine; the engine owns the database
        (("bot/channels",), ("storage", "bot.app", "bot.serve", "bot.cli", "bot.handlers")),
        # storage serves the bot and knows nothing of it
        (("storage",), ("bot",)),
    ],
)
def test_imports_point_inward(folders: tuple[str, ...], banned: tuple[str, ...]) -> None:
    assert len(_modules(*folders)) >= 3  # the folders are there, so the check reads something
    assert _breaches(folders, banned) == []


def test_only_channels_import_the_platform_libraries() -> None:
    outside = [p for p in _modules("bot", "storage") if "channels" not in p.parts]
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in outside
        for name in sorted(_imports(path))
        if _under(name, ("telegram", "twilio"))
    ]
    assert found == []


def test_the_check_sees_a_breach(tmp_path: Path) -> None:
    """The reader finds imports in every form the rules must catch."""
    module = tmp_path / "m.py"
    module.write_text(
        "import storage.repo\nfrom bot.engine import turn\n"
        "def f():\n    from telegram import Bot\n",
        encoding="utf-8",
    )
    found = _imports(module)
    assert {"storage.repo", "bot.engine.turn", "telegram.Bot"} <= found
    assert _under("bot.engine.turn", OUTER) and not _under("bot.engineering", OUTER)


def test_every_effect_a_flow_can_return_has_its_handler() -> None:
    from bot.engine.effects import HANDLERS
    from bot.flows import base

    kinds = {
        v
        for v in vars(base).values()
        if isinstance(v, type) and issubclass(v, base.Effect) and v is not base.Effect
    }
    assert len(kinds) >= 10
    assert kinds == set(HANDLERS)
