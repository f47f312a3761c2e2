"""A conversation's library of charts: entries and their sources, PDF pages, retrieval."""
