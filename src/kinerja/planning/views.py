"""Planning screens (Renstra, targets and their revisions, IKU, PK, Renja items)."""
