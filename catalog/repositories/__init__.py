"""Astra rows <-> catalog domain objects. The only catalog modules that touch astrapy (and raw Redis)."""
