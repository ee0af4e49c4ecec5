"""Every flow is written step by step: each step of its `StrEnum` has its question and its
answer, and nothing else is asked or answered."""

from __future__ import annotations

import pytest

from bot.flows.base import StepFlow
from bot.flows.registry import FLOWS

STEP_FLOWS = [flow for flow in FLOWS.values() if isinstance(flow, StepFlow)]


def test_every_flow_is_written_step_by_step() -> None:
    assert [name for name, flow in FLOWS.items() if not isinstance(flow, StepFlow)] == []


@pytest.mark.parametrize("flow", STEP_FLOWS, ids=lambda f: f.name)
def test_each_step_has_its_question_and_its_answer(flow: StepFlow) -> None:
    steps = {str(step) for step in flow.steps}
    assert str(flow.first_step) in steps
    assert set(flow._asking) == steps
    assert set(flow._answering) == steps
