"""Identity numbers on disclosure applications, checked as their standards define them.

- 居民身份证号码 (GB 11643-1999): 17 digits (region, birth date, sequence) and an ISO 7064
  MOD 11-2 check character (0-9 or X);
- 统一社会信用代码 (GB 32100-2015): 18 characters of a 31-symbol alphabet, the last a MOD 31
  check character.

A typing slip in either is caught here, while the applicant is still on the form; whether
the number belongs to the applicant is for the office to see on the proof of identity.
"""

import datetime
import re

from wording.personal import resident_id_check_digit as resident_id_check

# The first two digits of a resident identity number: a province-level region, or 81/82/83 for the
# residence permits of Hong Kong, Macao and Taiwan residents (which use the same format).
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
}
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [3 ** i % 31 for i in range(17)]
_CREDIT_SHAPE = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


class InvalidNumber(ValueError):
    """The number is not valid; the message says why, in Chinese, for the applicant."""


def normalise(number):
    """Spaces and hyphens dropped, full-width characters made ASCII, upper case: as people type them."""
    text = (number or "").translate({0x3000: " "})
    text = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in text)
    return re.sub(r"[\s\-]", "", text).upper()


def check_resident_id(number, *, today=None):
    """The normalised 18-character number, or InvalidNumber."""
    number = normalise(number)
    if len(number) == 15:
        raise InvalidNumber("请填写 18 位居民身份证号码（15 位的旧号码已停止使用）")
    if not _ID_SHAPE.match(number):
        raise InvalidNumber("居民身份证号码应为 18 位：前 17 位是数字，最后一位是数字或 X")
    if number[:2] not in PROVINCE_CODES:
        raise InvalidNumber("居民身份证号码的前两位不是有效的地区代码，请核对")
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidNumber("居民身份证号码中的出生日期不存在，请核对第 7 至 14 位") from None
    if born.year < 1900 or born > (today or datetime.date.today()):
        raise InvalidNumber("居民身份证号码中的出生日期不正确，请核对第 7 至 14 位")
    if resident_id_check(number[:17]) != number[17]:
        raise InvalidNumber("居民身份证号码的校验位不正确，请逐位核对（常见于输错或颠倒了某一位）")
    return number


def credit_code_check(first17):
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(number):
    """The normalised 18-character 统一社会信用代码, or InvalidNumber."""
    number = normalise(number)
    if len(number) != 18:
        raise InvalidNumber("统一社会信用代码应为 18 位")
    if not _CREDIT_SHAPE.match(number):
        raise InvalidNumber("统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）")
    if not number[2:8].isdigit():
        raise InvalidNumber("统一社会信用代码的第 3 至 8 位应为行政区划代码（数字）")
    if credit_code_check(number[:17]) != number[17]:
        raise InvalidNumber("统一社会信用代码的校验位不正确，请逐位核对")
    return number
