"""Statements in the admin: read-only, never deleted; credit notes correct them."""
