"""The password hasher of the test processes: Django's PBKDF2 with a thousandth of its work factor.

Every password the suite sets or checks in-process (administrators of test municipalities, citizens who
register, logins through the forms) costs a second of CPU with the production default of 1,000,000 rounds.
The algorithm and the encoding stay Django's own (``pbkdf2_sha256$<rounds>$…``), so the servers and workers the
suite starts (production settings) verify these hashes as they are, and hashes made with full rounds still verify
here: only the cost of new hashes drops.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
