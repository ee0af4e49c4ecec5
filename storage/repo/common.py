"""What more than one query module names: the key of a chat."""

from __future__ import annotations

ChatKey = tuple[str, str]  # (channel, address)
