"""Password hashers."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at minimal cost, for the test suite only (settings: ``STRIDE_ENV=test``).

    The algorithm and the stored format stay those of production, so tests still prove
    that passwords are stored as Argon2 hashes.
    """

    time_cost = 1
    memory_cost = 256
    parallelism = 1
