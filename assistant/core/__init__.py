"""The domain logic. Never imports Textual."""
