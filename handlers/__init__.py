"""The chat platforms' front ends, side by side, and what they share (common.py)."""
