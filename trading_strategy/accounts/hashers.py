"""Password hashing: Argon2id with one lane."""
from django.contrib.auth.hashers import Argon2PasswordHasher


class OneLaneArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id settings (100 MiB, 2 passes) computed in one lane instead of 8.

    The lanes split the same memory and the same work, so a guess costs an attacker the
    same; but eight lanes run on every core at once, and on a small server a few log-ins
    then stall every other request. One lane keeps a log-in to one core. Hashes made with
    other parameters still verify and are re-hashed at the next log-in.
    """

    algorithm = "argon2"
    parallelism = 1
