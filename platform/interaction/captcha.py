"""The mailbox captcha's challenge: characters that cannot be confused with one another."""

import secrets

from django.conf import settings

from .models.messages import CODE_ALPHABET


def random_challenge():
    text = "".join(secrets.choice(CODE_ALPHABET) for _ in range(settings.CAPTCHA_LENGTH))
    return text, text
