"""Delivery reports in the admin: the import form (report first, all or nothing) and the records, read-only."""
