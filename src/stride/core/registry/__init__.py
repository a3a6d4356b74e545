"""The outcomes registry's pure parts: windows, reports, claims, charts, de-identification."""
