"""Stapportaal test suite."""
