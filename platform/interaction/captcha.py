"""The mailbox captcha's challenge: characters that cannot be confused with one another."""

from django.conf import settings

from .models.messages import random_code


def random_challenge():
    text = random_code(settings.CAPTCHA_LENGTH)
    return text, text
