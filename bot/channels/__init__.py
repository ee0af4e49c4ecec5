"""Channels translate between a chat platform and `Inbound` / `Outbound`. Only this package
imports telegram or twilio."""
