"""Accounts, login with a second factor and server-side sessions."""
