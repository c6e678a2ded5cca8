"""Identity numbers as their standards define them: the check characters catch a typing slip."""

import datetime

import pytest

from disclosure import identity
from tests.disclosure.helpers import CREDIT_CODE, RESIDENT_ID


def test_the_standards_own_examples_are_valid_however_they_are_typed():
    assert identity.check_resident_id(RESIDENT_ID) == RESIDENT_ID
    assert identity.check_resident_id("110105 19491231 002x") == RESIDENT_ID
    assert identity.check_resident_id("１１０１０５１９４９１２３１００２Ｘ") == RESIDENT_ID  # full-width
    assert identity.check_credit_code(CREDIT_CODE.lower()) == CREDIT_CODE


@pytest.mark.parametrize("number, says", [
    ("110105194912310021", "校验位"),  # last character wrong
    ("110105194912310O2X", "18 位"),  # a letter O for a zero
    ("11010519491331002X", "出生日期不存在"),  # month 13
    ("110105209912310020", "出生日期不正确"),  # born in the future
    ("99010519491231002X", "地区代码"),
    ("110105491231002", "15 位"),
    ("", "18 位"),
])
def test_a_wrong_resident_id_is_refused_with_what_is_wrong(number, says):
    with pytest.raises(identity.InvalidNumber, match=says):
        identity.check_resident_id(number, today=datetime.date(2026, 12, 3))


def test_every_single_digit_slip_in_a_resident_id_is_caught():
    for position in range(17):
        digit = int(RESIDENT_ID[position])
        slipped = RESIDENT_ID[:position] + str((digit + 1) % 10) + RESIDENT_ID[position + 1:]
        with pytest.raises(identity.InvalidNumber):
            identity.check_resident_id(slipped)


@pytest.mark.parametrize("number, says", [
    ("91350100M000100Y44", "校验位"),
    ("91350100M000100Y4", "18 位"),
    ("91350100M000100YI3", "不含 I"),
    ("913501X0M000100Y43", "行政区划"),
])
def test_a_wrong_credit_code_is_refused(number, says):
    with pytest.raises(identity.InvalidNumber, match=says):
        identity.check_credit_code(number)
