"""Personal data in text that is about to be published: identity numbers, mobile numbers, bank cards.

Leaking them is itself a serious error of a government site (domain.md, "Serious errors"). Each
finder checks what the number must satisfy, so an ordinary long number is not taken for one:
- 居民身份证: 18 characters, a plausible birth date and GB 11643's check digit;
- 手机号码: 11 digits starting 13–19 (the numbering plan of the mainland's mobile networks);
- 银行卡号: 16 to 19 digits (in groups of 4 or not) that pass the Luhn check, and are no identity number.
"""

import datetime
import re

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
ID_CHECKS = "10X98765432"

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![\d])(1[3-9]\d{9})(?![\d])")
_CARD = re.compile(r"(?<![\d])(\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?)(?![\d])")


def resident_id_check_digit(first17):
    return ID_CHECKS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def is_resident_id(number):
    """An 18-character 居民身份证 number whose birth date is a real day and whose check digit is right."""
    number = number.upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return resident_id_check_digit(number[:17]) == number[17]


def luhn_ok(digits):
    total = 0
    for position, digit in enumerate(reversed(digits)):
        n = int(digit)
        if position % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def find(text):
    """[(kind, start, end, what)] of the personal data in `text`, in order."""
    found = []
    ids = set()
    for match in _RESIDENT_ID.finditer(text):
        if is_resident_id(match.group(1)):
            found.append(("resident_id", match.start(1), match.end(1), "居民身份证号码"))
            ids.add(match.start(1))
    for match in _MOBILE.finditer(text):
        found.append(("mobile", match.start(1), match.end(1), "手机号码"))
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 16 <= len(digits) <= 19 and match.start(1) not in ids and luhn_ok(digits):
            found.append(("bank_card", match.start(1), match.end(1), "银行卡号"))
    return sorted(found, key=lambda item: item[1])
