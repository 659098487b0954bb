"""Rehearsal: a seeded simulated customer, reply scoring, the scorecard and the drill queue."""
