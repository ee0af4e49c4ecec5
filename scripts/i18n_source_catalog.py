"""Keep the Indonesian catalog complete: source strings are Indonesian, so an empty `id`
msgstr takes its msgid. Run by `make i18n` after `pybabel update`; English stays human-made."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

path = Path(sys.argv[1] if len(sys.argv) > 1 else "locales/id/LC_MESSAGES/messages.po")
with path.open("rb") as handle:
    catalog = read_po(handle, locale="id")
filled = 0
for message in catalog:
    if message.id and not message.string:
        message.string = message.id
        filled += 1
    if message.id and "fuzzy" in message.flags:
        message.string = message.id
        message.flags.discard("fuzzy")
        filled += 1
with path.open("wb") as handle:
    write_po(handle, catalog, width=100, omit_header=False)
print(f"{path}: {filled} Indonesian entries filled from source")
