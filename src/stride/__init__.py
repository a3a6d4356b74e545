"""Stride: the pathway of children with cerebral palsy, from first inquiry to follow-up."""

__version__ = "0.1.0"
