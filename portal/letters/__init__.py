"""Letters: Word templates, form-based entry, generation, sending and the send log."""
