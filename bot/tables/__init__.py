"""Tables: the data model, parsing model answers and files, queries, edits."""
