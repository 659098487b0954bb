"""Widgets draw what they are given and post nested Messages; the screen decides."""
