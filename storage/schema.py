"""The tables. Every durable fact lives here; nothing durable lives only in memory.

Portable SQL only (SQLite today, PostgreSQL later): no SQLite-only types, JSON through
SQLAlchemy's JSON type, times as UTC through `UTCDateTime`.

NIKs, phone numbers, chat addresses, conversations' forms and message texts are sealed at
rest (`Sealed…` types, storage.keys): the SQL never sees them in clear, and cannot compare
them; a chat is found by its blind index, `identities.address_key`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.keys import index_default
from storage.types import Sealed, SealedFields, SealedJSON, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# --- people and their chat identities -------------------------------------------------------

persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("display_name", String(200)),
    Column("locale", String(8), nullable=False, server_default="id"),
    Column("privacy_accepted_at", UTCDateTime()),
    # Personal data erased (a granted deletion, or the end of the retention period): the row
    # stays so that the counts of the reports stay.
    Column("erased_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False, index=True),
    Column("channel", String(16), nullable=False),  # console | telegram | whatsapp
    Column("address", Sealed(64), nullable=False),  # chat id, or E.164 number for WhatsApp
    # HMAC(lookup key, channel:address): how a chat is found (storage.keys); an INSERT that
    # gives none gets the newest. "erased:<id>" once the address is erased.
    Column("address_key", String(80), nullable=False, default=index_default),
    Column("profile_name", String(200)),
    Column("last_inbound_at", UTCDateTime()),
    Column("reachable", Boolean, nullable=False, server_default="1"),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("channel", "address_key"),
)

# One row per identity: the state of its conversation (the main menu when idle).
conversations = Table(
    "conversations",
    metadata,
    Column("identity_id", ForeignKey("identities.id"), primary_key=True),
    Column("flow", String(32), nullable=False),
    Column("step", String(32), nullable=False),
    Column("data", SealedJSON(), nullable=False),  # the form so far: may hold a NIK, a number
    Column("history", JSON, nullable=False),  # steps visited, for "kembali"
    Column("options", JSON, nullable=False),  # the choices last offered, for number/label matching
    Column("draft", SealedJSON()),  # a paused flow (menu opened mid-flow, or expired): resumable
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime()),
    Index("ix_conversations_expires_at", "expires_at"),
)

# --- the routing store (synced from the agency file at start) -------------------------------

units = Table(
    "units",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),  # triage | ppid_utama | opd | kecamatan
    Column("active", Boolean, nullable=False, server_default="1"),
)

categories = Table(
    "categories",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("unit_code", ForeignKey("units.code"), nullable=False),
    Column("resolution_days", Integer, nullable=False),
    Column("field_work", Boolean, nullable=False),
    Column("active", Boolean, nullable=False, server_default="1"),
)

areas = Table(
    "areas",
    metadata,
    Column("code", String(96), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(16), nullable=False),  # kecamatan | desa | kelurahan
    Column("parent_code", ForeignKey("areas.code")),
    Column("aliases", JSON, nullable=False),
    Column("active", Boolean, nullable=False, server_default="1"),
)

routing_rules = Table(
    "routing_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("category_code", ForeignKey("categories.code"), nullable=False),
    Column("area_code", ForeignKey("areas.code")),
    Column("unit_code", ForeignKey("units.code"), nullable=False),
)

staff_roles = Table(
    "staff_roles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False, index=True),
    # admin | koordinator | ppid_utama | ppid_pembantu | atasan_ppid | kim
    Column("role", String(32), nullable=False),
    Column("unit_code", ForeignKey("units.code")),
    Column("area_code", ForeignKey("areas.code")),
    Column("kim_name", String(200)),
    Column("granted_at", UTCDateTime(), nullable=False),
    Column("granted_by", ForeignKey("persons.id")),
    Column("revoked_at", UTCDateTime()),
)

invites = Table(
    "invites",
    metadata,
    Column("code", String(16), primary_key=True),
    Column("role", String(32), nullable=False),
    Column("unit_code", ForeignKey("units.code")),
    Column("area_code", ForeignKey("areas.code")),
    Column("kim_name", String(200)),
    Column("created_by", ForeignKey("persons.id"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_by", ForeignKey("persons.id")),
    Column("used_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
)

# --- cases ----------------------------------------------------------------------------------

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # pengaduan | aspirasi | informasi | keberatan
    Column("tracking_code", String(16), nullable=False, unique=True),
    Column("register_number", String(64), unique=True),  # official PPID register number
    Column("register_year", Integer),
    Column("register_seq", Integer),
    Column("status", String(24), nullable=False),
    Column("unit_code", ForeignKey("units.code"), nullable=False),
    Column("reporter_person_id", ForeignKey("persons.id"), nullable=False),
    Column("submitter_person_id", ForeignKey("persons.id"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("anonymous", Boolean, nullable=False, server_default="0"),
    Column("confidential", Boolean, nullable=False, server_default="0"),
    Column("category_code", ForeignKey("categories.code")),
    Column("area_code", ForeignKey("areas.code")),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("location_text", String(500)),
    Column("reporter_name", String(200)),
    Column("description", Text),
    Column("related_case_id", ForeignKey("cases.id")),  # an objection cites its request
    Column("received_on", Date, nullable=False),
    Column("verify_due", Date),
    Column("followup_due", Date),
    Column("response_due", Date),
    Column("resolution_due", Date),
    Column("extended", Boolean, nullable=False, server_default="0"),
    Column("assignee_person_id", ForeignKey("persons.id")),  # the officer who took it
    Column("paused_status", String(24)),  # where a case waiting for the reporter returns to
    # UU KIP outcome: granted | partial | rejected | not_held; for an objection upheld | dismissed
    Column("decision", String(16)),
    Column("decision_ground", String(16)),  # Pasal 17 letter of a (partial) rejection
    Column("objection_ground", String(1)),  # Pasal 35 ayat (1) letter an objection rests on
    Column("decided_on", Date),
    Column("delivered_on", Date),  # the information actually given (after the notice)
    # A data-subject request (UU 27/2022): akses | koreksi | hapus
    Column("subject_right", String(16)),
    Column("erased_at", UTCDateTime()),  # its personal data erased; the counts stay
    Column("confirm_due", Date),  # after "selesai": closes itself when the reporter is silent
    Column("rating", Integer),
    Column("reopened", Integer, nullable=False, server_default="0"),
    Column("followed_up_on", Date),  # the unit's first reply to the reporter (the 5-day clock)
    # When the current step is due (None once finished): what reminders and escalation read.
    Column("due_on", Date),
    Column("next_update_on", Date),  # the next "still being handled" message to the reporter
    Column("alerted_on", Date),  # the last day the sweep looked at its reminders/escalation
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("closed_at", UTCDateTime()),
    Index("ix_cases_unit_status", "unit_code", "status"),
    Index("ix_cases_reporter", "reporter_person_id", "created_at"),
    Index("ix_cases_submitter", "submitter_person_id", "created_at"),
    Index("ix_cases_kind_received", "kind", "received_on"),
    Index("ix_cases_related", "related_case_id"),
    Index("ix_cases_due_on", "due_on", "alerted_on"),
    Index("ix_cases_next_update_on", "next_update_on"),
)

# The fields UU KIP / Perki 1/2021 require of an information request, 1:1 with its case.
request_details = Table(
    "request_details",
    metadata,
    Column("case_id", ForeignKey("cases.id"), primary_key=True),
    Column("requester_type", String(16), nullable=False),  # perorangan | badan_hukum | kuasa
    Column("requester_name", String(200), nullable=False),
    Column("nik", Sealed(16)),
    Column("legal_entity_number", String(100)),
    Column("address", String(500), nullable=False),
    Column("phone", Sealed(20)),
    Column("email", String(200)),
    Column("occupation", String(200), nullable=False),
    Column("information_requested", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("obtain_method", String(32), nullable=False),
    Column("delivery_method", String(32), nullable=False),
    # A request made as kuasa: whom the applicant represents (perorangan | badan_hukum),
    # with the principal's NIK or legal-entity number. The surat kuasa is an attachment.
    Column("principal_type", String(16)),
    Column("principal_name", String(200)),
    Column("principal_number", Sealed(100)),
)

# Append-only: rows are inserted, never updated or deleted.
case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor_person_id", ForeignKey("persons.id")),
    Column("actor_role", String(32), nullable=False),  # citizen | kim | system | officer role
    Column("action", String(32), nullable=False),
    Column("from_status", String(24)),
    Column("to_status", String(24)),
    Column("data", JSON, nullable=False),
    Index("ix_case_events_case", "case_id", "id"),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("kind", String(16), nullable=False),  # photo | document | voice | video
    Column("file_ref", String(500), nullable=False),  # Telegram file_id, Twilio media URL, path
    Column("content_type", String(100)),
    Column("caption", String(1000)),
    Column("created_at", UTCDateTime(), nullable=False),
)

register_counters = Table(
    "register_counters",
    metadata,
    Column("series", String(32), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_seq", Integer, nullable=False),
)

# --- delivery -------------------------------------------------------------------------------

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("identity_id", ForeignKey("identities.id"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("kind", String(32), nullable=False),  # reply | status_update | reminder | ...
    # Rendered text (sealed: an officer's card can show a full NIK), buttons, media.
    Column("payload", SealedFields(("text",)), nullable=False),
    # scheduled (waits for not_before: quiet hours, reminders) | pending (the dispatcher's)
    # | held (WhatsApp window) | sent | dead
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("not_before", UTCDateTime(), nullable=False),
    Column("dedupe_key", String(200), unique=True),
    Column("provider_message_id", String(100), index=True),
    Column("delivery_status", String(16)),  # what the platform last reported (sent, read...)
    Column("last_error", String(200)),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Index("ix_outbox_due", "status", "channel", "not_before"),
)

# A `/rekap` asked in the chat, built outside the single writer and then sent. A row, so a
# restart between the request and the files loses nothing: queued rows are built at start.
report_requests = Table(
    "report_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", ForeignKey("persons.id"), nullable=False),
    Column("channel", String(16), nullable=False),  # where it was asked: the answer goes there
    # rekap (an officer's recap) | data (a person's own data, their right of access)
    Column("kind", String(16), nullable=False, server_default="rekap"),
    Column("start_on", Date(), nullable=False),
    Column("end_on", Date(), nullable=False),
    Column("status", String(16), nullable=False),  # queued | done | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("done_at", UTCDateTime()),
    Index("ix_report_requests_status", "status", "id"),
)

processed_deliveries = Table(
    "processed_deliveries",
    metadata,
    Column("channel", String(16), primary_key=True),
    Column("delivery_id", String(100), primary_key=True),
    Column("processed_at", UTCDateTime(), nullable=False, index=True),
)

# Who asked to hear the agency's serta-merta announcements (UU 14/2008 Pasal 10: information
# that threatens life or public order) for a desa/kelurahan or a whole kecamatan.
area_subscriptions = Table(
    "area_subscriptions",
    metadata,
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
    Column("area_code", ForeignKey("areas.code"), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_area_subscriptions_area", "area_code"),
)

# A personal-data breach (UU 27/2022 Pasal 46): what happened, what data, whom it touches,
# and when the people and the authority were told (within 3×24 hours).
breaches = Table(
    "breaches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("recorded_by", ForeignKey("persons.id"), nullable=False),
    Column("discovered_at", UTCDateTime(), nullable=False),
    Column("description", Text, nullable=False),
    Column("data_kinds", JSON, nullable=False),  # e.g. ["nik", "phone", "name", "messages"]
    Column("period_from", Date),  # the records touched: cases received in this period
    Column("period_to", Date),
    Column("subjects_notified_at", UTCDateTime()),
    Column("authority_notified_at", UTCDateTime()),
)

breach_subjects = Table(
    "breach_subjects",
    metadata,
    Column("breach_id", ForeignKey("breaches.id"), primary_key=True),
    Column("person_id", ForeignKey("persons.id"), primary_key=True),
)

# The working calendar the open cases' dates were last computed with: its closed days over
# [first_day, last_day]. When the agency file or the holiday tables change, the difference
# says which dates move (one row, id 1).
calendar_state = Table(
    "calendar_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    Column("closed", JSON, nullable=False),  # ISO dates
    Column("updated_at", UTCDateTime(), nullable=False),
)

# A message-sized row written and removed by the readiness probe: `/healthz` is ready only
# while such a write commits (a full disk, a read-only file or a held lock all refuse it).
write_probes = Table(
    "write_probes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("body", Text, nullable=False),
)

# The keys personal data was sealed with (storage.sealing): start-up refuses keys that lack one
# still in use, without decrypting anything; a rotation retires the ones it moved away from.
seal_keys = Table(
    "seal_keys",
    metadata,
    Column("kid", String(16), primary_key=True),
    Column("purpose", String(8), nullable=False),  # data | lookup
    Column("first_used_at", UTCDateTime(), nullable=False),
    Column("retired_at", UTCDateTime()),  # no value needs it any more
)
