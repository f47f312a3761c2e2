"""Conversations' state: sessions and stores, access and quotas, cancellation."""
