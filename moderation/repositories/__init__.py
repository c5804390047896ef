"""Moderation's Astra rows <-> domain objects (the only moderation modules that touch the tables)."""
