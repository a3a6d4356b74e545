"""The outcomes registry's pure parts: outcome windows, cohort reports, claims."""
