"""Password rules for every account, console and sites alike (AUTH_PASSWORD_VALIDATORS; 等保: complex
passwords, not reused). Django's own validators do length, likeness to the user's name and its common
list; these add what a Chinese assessor asks for, with messages in Chinese.

- MinimumLengthValidator: Django's, with its message in Chinese (Django 5.2 reworded it, and its
  Chinese catalogue has not caught up: the admin showed it in English).
- CharacterClassesValidator: at least three of upper case, lower case, digits and symbols.
- ChineseCommonPasswordValidator: passwords common in China — a well-known stem (pinyin words,
  keyboard runs, "admin", the platform's own words) dressed up with digits and symbols, e.g.
  Woaini1314520!, Admin@123456, Zhengfu2026. Django's list has English words only.
- PasswordHistoryValidator: none of the account's last PASSWORD_HISTORY passwords again
  (django-password-validators keeps their salted hashes in the account's own schema).

A password the console issues (a new account, a reset) is random and must be replaced by its owner
at the first login (`require_change`; tenants.sessions.PasswordChangeMiddleware holds the account to
the change page until it is done). With PASSWORD_EXPIRY_DAYS set, a password older than that is
held the same way at the next login (`expired`).
"""

import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_password_validators.password_history.models import PasswordHistory
from django_password_validators.password_history.password_validation import UniquePasswordsValidator

from .models import PasswordChangeRequired

STEMS_FILE = Path(__file__).parent / "data" / "common-password-stems-zh.txt"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短：至少需要 {self.min_length} 个字符"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


class CharacterClassesValidator:
    CLASSES = (("大写字母", str.isupper), ("小写字母", str.islower), ("数字", str.isdigit))

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def _classes(self, password):
        found = {name for name, test in self.CLASSES if any(test(c) for c in password if c.isascii())}
        if any(not c.isalnum() or not c.isascii() for c in password):
            found.add("符号")
        return found

    def validate(self, password, user=None):
        if len(self._classes(password)) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字和符号中的至少 {self.min_classes} 种",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字和符号中的至少 {self.min_classes} 种。"


def _stems():
    lines = STEMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


# Digits, symbols and years around a word: what people add to a common word to pass a rule.
_DRESSING = re.compile(r"^[\d\W_]+|[\d\W_]+$")


class ChineseCommonPasswordValidator:
    def __init__(self):
        self.stems = _stems()

    def validate(self, password, user=None):
        lowered = password.lower()
        stem = _DRESSING.sub("", lowered)
        # "1qaz2wsx3edc" is a keyboard run throughout: also checked with its digits and symbols taken out.
        letters = re.sub(r"[\d\W_]", "", lowered)
        if not stem or stem in self.stems or lowered in self.stems or letters in self.stems:
            raise ValidationError(
                "密码过于常见（常用词或键盘顺序加上数字、符号），容易被猜到，请换一个", code="password_too_common"
            )

    def get_help_text(self):
        return "密码不能是常用词或键盘顺序加上数字、符号（如 Admin@123456、Woaini1314）。"


def require_change(schema_name, username, reason):
    """The account must choose its own password at its next login (call inside the issuing action)."""
    PasswordChangeRequired.objects.update_or_create(
        schema_name=schema_name, username=username, defaults={"reason": reason}
    )


def change_required(schema_name, username):
    return PasswordChangeRequired.objects.filter(schema_name=schema_name, username=username).exists()


def expired(user, now=None):
    """Whether the account's password is older than PASSWORD_EXPIRY_DAYS (0: passwords do not expire).

    Its age is counted from its last change in the password history (the connection's schema), or
    from the account's creation when it was never changed since the history began.
    """
    days = settings.PASSWORD_EXPIRY_DAYS
    if not days:
        return False
    last = (PasswordHistory.objects.filter(user_config__user=user).order_by("-date")
            .values_list("date", flat=True).first()) or user.date_joined
    return last < (now or timezone.now()) - timedelta(days=days)


class PasswordHistoryValidator(UniquePasswordsValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError(
                f"不能使用最近 {self.last_passwords} 次用过的密码", code="password_used"
            ) from exc

    def password_changed(self, password, user=None):
        super().password_changed(password, user)
        if getattr(user, "pk", None) is not None:
            from .logins import password_changed

            password_changed(user)
            # The owner (or a site administrator in Wagtail's user editor) chose it: no longer an issued one.
            PasswordChangeRequired.objects.filter(
                schema_name=connection.schema_name, username=user.get_username()
            ).delete()

    def get_help_text(self):
        return f"不能使用最近 {self.last_passwords} 次用过的密码。"


class QuickHistoryHasher(PBKDF2PasswordHasher):
    """For the test settings only (DPV_DEFAULT_HISTORY_HASHER): the history's hashes at a test's speed."""

    iterations = 1
