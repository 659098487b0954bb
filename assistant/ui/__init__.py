"""The Textual app: thin screens over assistant.core (nothing here computes a score or renders a template)."""

import os

# Textual paints on a frame grid, and after an idle spell its timer skips to the slot after next:
# at its default 60 fps the first paint after Enter waits 17–33 ms. At 120 fps that wait halves
# (Enter → suggestions p50 ~26 ms instead of ~42, scripts/bench_live.py); only changed screens
# repaint, so an idle app costs nothing more. Read once when Textual is first imported.
os.environ.setdefault("TEXTUAL_FPS", "120")
