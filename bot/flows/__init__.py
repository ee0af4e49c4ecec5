"""Conversations as pure state machines: data in, data out; no I/O, no clock, no gettext."""
