"""What a fuzzer posts to the webhooks: anything JSON can say, things shaped like Telegram
updates with every field of the wrong kind, and Twilio forms with any fields and values.
Shared by the fuzz tests (a few hundred, in CI) and `bench/fuzz_bench.py` (thousands)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.fake_telegram import text_update

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=50),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)


def _sometimes_wrong(right: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(right, json_values)


chat = _sometimes_wrong(
    st.fixed_dictionaries(
        {"id": st.integers(-(10**13), 10**13), "type": st.sampled_from(["private", "group"])}
    )
)
user = _sometimes_wrong(
    st.fixed_dictionaries(
        {"id": st.integers(1, 10**10), "is_bot": st.booleans(), "first_name": st.text(max_size=20)}
    )
)
message = st.fixed_dictionaries(
    {
        "message_id": _sometimes_wrong(st.integers(1, 10**6)),
        "date": _sometimes_wrong(st.integers()),
    },
    optional={
        "chat": chat,
        "from": user,
        "text": _sometimes_wrong(st.text(max_size=300)),
        "caption": _sometimes_wrong(st.text(max_size=50)),
        "photo": json_values,
        "document": json_values,
        "voice": json_values,
        "sticker": json_values,
        "location": _sometimes_wrong(
            st.fixed_dictionaries({"latitude": st.floats(), "longitude": st.floats()})
        ),
        "reply_to_message": json_values,
        "entities": json_values,
    },
)
callback_query = st.fixed_dictionaries(
    {"id": _sometimes_wrong(st.text(max_size=10)), "from": user},
    optional={
        "data": json_values,  # a string from our keyboards; anything from a forger
        "message": _sometimes_wrong(message),
        "chat_instance": st.text(max_size=10),
    },
)
update_shaped = st.fixed_dictionaries(
    {"update_id": _sometimes_wrong(st.integers(0, 2**31))},
    optional={
        "message": _sometimes_wrong(message),
        "callback_query": _sometimes_wrong(callback_query),
        "edited_message": json_values,
        "my_chat_member": json_values,
    },
)
# A real citizen's text, in any script, emoji, or 10,000 characters of it.
citizen_text = st.text(min_size=1, max_size=10_000).map(lambda text: text_update(4321, text))
telegram_bodies = st.one_of(json_values, update_shaped, citizen_text)

TWILIO_FIELDS = [
    "MessageSid",
    "SmsMessageSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "MediaUrl0",
    "MediaContentType0",
    "ProfileName",
    "WaId",
    "Latitude",
    "Longitude",
    "Address",
    "Label",
    "ButtonText",
    "ButtonPayload",
    "OriginalRepliedMessageSid",
    "MessageStatus",
    "ErrorCode",
]
twilio_forms = st.dictionaries(
    st.one_of(st.sampled_from(TWILIO_FIELDS), st.text(min_size=1, max_size=20)),
    st.one_of(
        st.text(max_size=200),
        st.sampled_from(["whatsapp:+6281234567890", "whatsapp:0812", "-91.5", "3", "1e400"]),
    ),
    max_size=12,
)
