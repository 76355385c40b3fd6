"""Beheer of users and organisations."""
