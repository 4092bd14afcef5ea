"""Billing accounts, plan changes, the ledger and package orders in the admin."""
