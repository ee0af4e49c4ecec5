"""A fake Bot API behind python-telegram-bot's own `BaseRequest` seam: PTB does everything it
normally does (builds requests, parses answers, raises its errors); only the HTTP is ours."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

TOKEN = "123456:TEST-token"
BOT = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Suara Warga",
    "username": "suarawarga_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Sent:
    method: str
    params: dict[str, Any]


@dataclass
class FakeBotApi(BaseRequest):
    calls: list[Sent] = field(default_factory=list)  # every request, refused ones included
    delivered: list[dict[str, Any]] = field(default_factory=list)  # accepted sendMessage params
    photos: list[dict[str, Any]] = field(default_factory=list)  # accepted sendPhoto params
    # accepted sendPhoto / sendDocument uploads: chat_id, method, filename, content bytes
    uploads: list[dict[str, Any]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    throttle_once: int = 0  # answer the next N sendMessage calls with 429 retry_after=1
    gate: asyncio.Event | None = None  # while set and not open, sendMessage waits for it
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _new: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    def __hash__(self) -> int:
        return id(self)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    # --- what tests do ---

    def push(self, update: dict[str, Any]) -> None:
        self._updates.append(update)
        self._new.set()

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.delivered if int(m["chat_id"]) == chat_id]

    # --- the Bot API ---

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append(Sent(api, params))
        if api == "getUpdates":
            return await self._get_updates(params)
        if api == "sendMessage":
            if self.gate is not None:
                await self.gate.wait()
            chat_id = int(params["chat_id"])
            if chat_id in self.blocked:
                return _error(403, "Forbidden: bot was blocked by the user")
            if self.throttle_once > 0:
                self.throttle_once -= 1
                return _error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
            message_id = next(self._ids)
            self.delivered.append({**params, "message_id": message_id})
            return _ok(
                {
                    "message_id": message_id,
                    "date": 1764205200,
                    "chat": {"id": chat_id, "type": "private"},
                    "text": params.get("text", ""),
                }
            )
        if api in ("sendPhoto", "sendDocument"):
            files = request_data.multipart_data if request_data else {}
            for part in files.values():
                name, content = part[0], part[1]
                data = content if isinstance(content, bytes) else content.read()
                self.uploads.append(
                    {
                        "chat_id": int(params["chat_id"]),
                        "method": api,
                        "filename": name,
                        "content": data,
                    }
                )
            if api == "sendPhoto" and not files:
                self.photos.append(params)
            return _ok(
                {
                    "message_id": next(self._ids),
                    "date": 1764205200,
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                }
            )
        if api == "getMe":
            return _ok(BOT)
        if api == "editMessageReplyMarkup":
            return _ok(True)
        if api in ("deleteWebhook", "answerCallbackQuery", "setMyCommands", "setWebhook"):
            return _ok(True)
        return _error(404, f"Not Found: method {api}")

    async def _get_updates(self, params: dict[str, Any]) -> tuple[int, bytes]:
        offset = int(params.get("offset") or 0)
        pending = [u for u in self._updates if u["update_id"] >= offset]
        if not pending:
            self._new.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new.wait(), 0.05)
            pending = [u for u in self._updates if u["update_id"] >= offset]
        return _ok(pending)


def _ok(result: Any) -> tuple[int, bytes]:
    return 200, json.dumps({"ok": True, "result": result}).encode()


def _error(
    code: int, description: str, parameters: dict[str, Any] | None = None
) -> tuple[int, bytes]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, json.dumps(body).encode()


_update_ids = itertools.count(1)


def text_update(chat_id: int, text: str, update_id: int | None = None) -> dict[str, Any]:
    return {"update_id": update_id or next(_update_ids), "message": _message(chat_id, text=text)}


def reply_update(chat_id: int, text: str, replied: dict[str, Any]) -> dict[str, Any]:
    """A message sent with Telegram's "reply" to one of the bot's messages (as delivered)."""
    replied = {
        "message_id": replied["message_id"],
        "date": 1764205200,
        "chat": {"id": chat_id, "type": "private"},
        "from": BOT,
        "text": replied["text"],
    }
    message = _message(chat_id, text=text, reply_to_message=replied)
    return {"update_id": next(_update_ids), "message": message}


def photo_update(chat_id: int, file_id: str) -> dict[str, Any]:
    sizes = [
        {"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": file_id, "file_unique_id": "b", "width": 1280, "height": 960},
    ]
    return {"update_id": next(_update_ids), "message": _message(chat_id, photo=sizes)}


def sticker_update(chat_id: int) -> dict[str, Any]:
    sticker = {
        "file_id": "stk1",
        "file_unique_id": "u1",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    return {"update_id": next(_update_ids), "message": _message(chat_id, sticker=sticker)}


def button_update(chat_id: int, data: str) -> dict[str, Any]:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cb{chat_id}-{data}",
            "from": _user(chat_id),
            "chat_instance": "ci",
            "data": data,
            "message": _message(chat_id, text="…"),
        },
    }


def _user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Budi", "last_name": "Santoso"}


def _message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_update_ids) + 50_000,
        "date": 1764205200,
        "chat": {"id": chat_id, "type": "private", "first_name": "Budi"},
        "from": _user(chat_id),
        **content,
    }
