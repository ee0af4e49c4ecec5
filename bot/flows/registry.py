"""Every flow by name. The engine looks flows up here; flows never import each other."""

from __future__ import annotations

from bot.flows.base import Flow
from bot.flows.case_action import CaseWork
from bot.flows.command import CommandText
from bot.flows.complaint import Complaint
from bot.flows.information import Information
from bot.flows.menu import ConfirmCancel, Language, Menu, Welcome
from bot.flows.periodic import PeriodicObjection
from bot.flows.privacy import Privacy
from bot.flows.resident import Resident
from bot.flows.status import Status

FLOWS: dict[str, Flow] = {
    flow.name: flow
    for flow in (
        Welcome(),
        Menu(),
        Language(),
        Privacy(),
        ConfirmCancel(),
        Complaint(),
        Information(),
        Status(),
        CaseWork(),
        CommandText(),
        Resident(),
        PeriodicObjection(),
    )
}
# Flows a person rests in: they never expire and are not kept as drafts.
IDLE_FLOWS = frozenset({"menu", "welcome"})
# Forms worth keeping as a draft when left half-way; a status lookup is not.
DRAFT_FLOWS = frozenset({"complaint", "information"})
