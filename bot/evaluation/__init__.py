"""`python -m bot eval`: how well the configured vision model reads charts.

`chartset` draws a deterministic set of charts with known tables (clean and photo-like),
`metric` scores a read table with DePlot's Relative Mapping Similarity, and `runner` sends
every chart through the bot's extraction path and reports the scores.
"""
