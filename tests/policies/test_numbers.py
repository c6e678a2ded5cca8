"""Every way people write the brackets of a 发文字号 comes to one canonical form."""

import pytest

from policies.numbers import normalise_document_number


@pytest.mark.parametrize(
    "typed",
    [
        "川府发〔2024〕3号",
        "川府发[2024]3号",
        "川府发(2024)3号",
        "川府发（2024）3号",
        "川府发［2024］3号",
        "川府发【2024】3号",
        "川府发〖2024〗3号",
        "川府发﹝2024﹞3号",
        "川府发〔２０２４〕３号",
        " 川府发 〔2024〕 3 号 ",
    ],
)
def test_bracket_and_digit_variants(typed):
    assert normalise_document_number(typed) == "川府发〔2024〕3号"


def test_parts_and_empty_values():
    assert normalise_document_number("[2024]3号") == "〔2024〕3号"
    assert normalise_document_number("") == ""
    assert normalise_document_number(None) == ""
