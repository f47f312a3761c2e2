"""The conversation engine: turns, replies and quick actions; no chat platform."""
