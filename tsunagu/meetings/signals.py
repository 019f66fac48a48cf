"""Signals the meetings app sends for apps above it (which it may not import)."""

from django.dispatch import Signal

# Sent by services.save_meeting when a meeting moves to another 会議体, with `meeting`
# (already saved). The cases app copies the body onto the meeting's follow-ups.
meeting_type_changed = Signal()
