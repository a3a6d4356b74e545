"""Released rule sets, one module per name and version (``sdr_v1``, ...).

A released module is never edited: a change to any rule is a new module with the next
version, and the old one stays so stored decisions can be re-run.
"""
