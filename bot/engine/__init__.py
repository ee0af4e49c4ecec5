"""The channel-agnostic core: inbound → one transaction → outbox → senders."""
