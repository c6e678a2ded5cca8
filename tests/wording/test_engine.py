"""The check finds the lists' terms however they are disguised, leaders with a wrong title or out of
order, and personal data; ordinary text passes."""

import pytest

from wording import engine
from wording.actions import add_leader, add_term
from wording.models import Kind, Term
from wording.personal import is_resident_id


def found(text):
    return [(hit.kind, hit.found, hit.correct, hit.rule) for hit in engine.check(text)]


@pytest.mark.django_db
def test_the_starter_list_is_there_and_catches_a_misspelt_country_name_in_any_disguise():
    assert Term.objects.filter(kind=Kind.SERIOUS).count() >= 10  # shipped by migration
    for text in ("中华人民共合国成立以来", "中 华 人 民 共 合 国", "中·华·人·民·共·合·国", "中華人民共合國"):
        [(kind, words, correct, _rule)] = found(text)
        assert kind == Kind.SERIOUS and correct == "中华人民共和国", text
        assert words.replace(" ", "").replace("·", "") in ("中华人民共合国", "中華人民共合國")
    assert found("中华人民共和国成立以来，坚持依法治国。") == []


@pytest.mark.django_db
def test_a_new_term_counts_at_once_and_its_hit_is_shown_in_the_editors_own_text():
    add_term("锦江区人民政付", Kind.SERIOUS, "锦江区人民政府", acting_user=None)
    text = "本通知由锦江区人民政付办公室负责解释。"
    [hit] = engine.check(text)
    assert hit.found == "锦江区人民政付" and text[hit.start:hit.end] == hit.found
    assert hit.context(text) == ("本通知由", "锦江区人民政付", "办公室负责解释。")


@pytest.mark.django_db
def test_a_leader_with_another_title_or_out_of_order_is_a_serious_error():
    add_leader("张明", "省长", 1, acting_user=None)
    add_leader("李华", "副省长", 2, acting_user=None)
    add_leader("王强", "副省长", 3, acting_user=None)
    assert found("省长张明主持会议，副省长李华出席。") == []
    assert found("副省长张明主持会议") == [(Kind.SERIOUS, "副省长张明", "省长张明", "leader_title")]
    assert found("张明副省长主持会议") == [(Kind.SERIOUS, "张明副省长", "省长张明", "leader_title")]
    assert found("出席会议的有张明、李华、王强。") == []
    [(kind, words, correct, rule)] = found("出席会议的有李华、张明、王强。")
    assert (kind, words, correct, rule) == (Kind.SERIOUS, "李华、张明、王强", "张明、李华、王强", "leader_order")


def test_personal_data_is_found_by_what_the_numbers_must_satisfy():
    checker = engine.Checker([], [])
    text = "联系人身份证 11010519491231002X，手机 13800138000，银行卡 6222 0212 3456 7890 128。"
    kinds = [hit.rule for hit in checker.check(text)]
    assert kinds == ["resident_id", "mobile", "bank_card"] and is_resident_id("11010519491231002X")
    # A wrong check digit, an office landline and an ordinary long number are not personal data.
    assert checker.check("编号 110105194912310021，电话 028-86000000，文号 20250000000000000001") == []


@pytest.mark.django_db
def test_a_term_is_shown_where_the_text_has_it_when_a_character_folds_to_two():
    """The check's quick folding and its careful one (for ㎡, ℡… that fold to two characters) place a hit
    on the same characters of the editor's text."""
    from wording.normalise import normalise

    for text in ("面积１２０㎡，中 華人民共合國成立", "中华人民共合国；电话℡：（028）", "中华人民共合国🇨🇳万岁"):
        assert engine._normalise(text) == normalise(text), text
        [hit] = engine.check(text)
        assert hit.found.replace(" ", "") in ("中華人民共合國", "中华人民共合国"), text
        assert text[hit.start:hit.end] == hit.found
