from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain.agency import Agency, load_agency
from tests.harness import AGENCY, TestBot, make_settings


@pytest.fixture(scope="session")
def agency() -> Agency:
    return load_agency(AGENCY)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[TestBot]:
    test_bot = await TestBot(make_settings(tmp_path)).start()
    yield test_bot
    await test_bot.stop()
