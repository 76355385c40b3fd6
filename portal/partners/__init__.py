"""Network partners: contact persons and distribution lists."""
