"""The NEN 7513 audit trail."""
