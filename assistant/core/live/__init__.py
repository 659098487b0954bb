"""Live mode: the session state machine and its /commands."""
