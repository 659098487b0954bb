"""Live mode: the session state machine (session), its /commands (commands), the chat reader (chat), what it fills by itself (facts)."""
