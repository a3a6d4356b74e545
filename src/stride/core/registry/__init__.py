"""The outcomes registry's pure arithmetic (windows, reports, claims, charts, exports)."""
