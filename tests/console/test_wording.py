"""The province keeps the word lists in the console: add, import (whole or not at all), export, leaders;
every change audited; the lists take effect in every site's check at once."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tenants.models import AuditAction, AuditEvent
from wording import engine
from wording.models import Leader, Term


def upload(text, encoding="utf-8", name="词表.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_a_term_added_in_the_console_is_checked_everywhere_at_once(console_client):
    response = console_client.post("/wording/terms/add/", {"text": "锦江区人民政付", "kind": "serious",
                                                           "correct": "锦江区人民政府"})
    assert response.status_code == 302
    assert [hit.correct for hit in engine.check("锦江区人民政付发布通知")] == ["锦江区人民政府"]
    again = console_client.post("/wording/terms/add/", {"text": "锦江区人民政付", "kind": "suspect"})
    assert again.status_code == 400 and "词表中已有" in again.content.decode()
    no_correct = console_client.post("/wording/terms/add/", {"text": "某某错词", "kind": "serious"})
    assert no_correct.status_code == 400 and "严重错误须写明正确写法" in no_correct.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.ADD_WORDING_TERM, detail__term="锦江区人民政付").count() == 1


def test_a_bad_list_is_refused_whole_with_every_bad_line_named(console_client):
    before = Term.objects.count()
    bad = ("词语,类别,正确写法,说明\n"
           "某某错词一,严重,某某正词一,\n"
           ",疑似,,空的词语\n"
           "某某错词二,很严重,,\n"
           "某 某 错 词 一,疑似,,与第二行相同\n"
           "、、、,疑似,,只有标点\n")
    response = console_client.post("/wording/terms/import/", {"file": upload(bad)})
    page = response.content.decode()
    assert response.status_code == 400 and "文件未导入" in page
    for problem in ("第 3 行：词语为空", "第 4 行：类别应为“严重”或“疑似”", "第 5 行：与第 2 行重复",
                    "第 6 行：词语“、、、”只有标点或空格"):
        assert problem in page, problem
    assert Term.objects.count() == before  # nothing of it was taken
    header = console_client.post("/wording/terms/import/", {"file": upload("a,b\n1,2\n")})
    assert header.status_code == 400 and "第一行应为 词语,类别,正确写法,说明" in header.content.decode()
    binary = console_client.post("/wording/terms/import/", {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81")})
    assert binary.status_code == 400


def test_a_gbk_list_adds_and_updates_and_exports_back(console_client):
    Term.objects.filter(text="截止目前").update(correct="截至当前")  # in the starter list
    good = "词语,类别,正确写法,说明\n某某错词三,严重,某某正词三,测试\n截止目前,疑似,截至目前,“截至”表示到某时为止\n"
    response = console_client.post("/wording/terms/import/", {"file": upload(good, "gb18030")})
    assert response.status_code == 302
    assert Term.objects.get(text="截止目前").correct == "截至目前"
    event = AuditEvent.objects.get(action=AuditAction.IMPORT_WORDING_TERMS)
    assert (event.detail["added"], event.detail["updated"]) == (1, 1)
    exported = console_client.get("/wording/terms.csv").content.decode("utf-8-sig")
    assert exported.startswith("词语,类别,正确写法,说明") and "某某错词三,严重,某某正词三,测试" in exported


def test_leaders_are_kept_in_order_and_removed_with_an_audit_row(console_client):
    leader = {"name": "张明", "title": "省长", "rank": "1"}
    assert console_client.post("/wording/leaders/add/", leader).status_code == 302
    assert console_client.post("/wording/leaders/add/", {**leader, "rank": "2"}).status_code == 400
    leader = Leader.objects.get()
    page = console_client.get("/wording/").content.decode()
    assert "张明" in page and "领导姓名职务" in page
    assert console_client.post(f"/wording/leaders/{leader.pk}/delete/").status_code == 302
    assert not Leader.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.REMOVE_LEADER, detail__name="张明").exists()
