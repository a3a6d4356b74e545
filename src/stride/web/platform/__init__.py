"""The platform floor: what every app stands on and that imports no app.

Mail, PDF printing, file storage, uploads, rate limits, domain errors turned into
translated messages, append-only tables, request middleware and numbers for people. A
lint contract (import-linter) checks that nothing here imports another part of
``stride.web``.
"""
