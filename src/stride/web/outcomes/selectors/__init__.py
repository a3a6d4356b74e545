"""Reads of the outcomes registry for its pages: the cohort, one child, the exports."""
