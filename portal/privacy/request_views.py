"""Routes of the AVG requests register (filled by its owner)."""

from portal.privacy import bp, models  # noqa: F401  (the register's tables)
