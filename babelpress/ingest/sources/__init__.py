"""What the importer reads: one class per kind of document (base.py says what a source is;
registry.py which sources exist and which one reads a document)."""
