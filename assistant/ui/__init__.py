"""The Textual app: thin screens over assistant.core (nothing here computes a score or renders a template)."""
