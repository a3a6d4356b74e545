"""Deterministic generators of synthetic (never real) people and cases for demos and tests."""
