"""Routes of the privacy package (filled by its owner)."""

from portal.privacy import bp  # noqa: F401
