"""Coaching: readiness checklist, coach board, conversation, meetings, timed tips and
workshops (capability C6)."""
