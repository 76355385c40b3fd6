"""Client documents: validated by content, encrypted at rest, versioned, searchable."""
