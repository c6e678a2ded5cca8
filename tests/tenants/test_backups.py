"""Per-site backups: round trips with verification, restore over a site or as a new one, damage and
version checks, and deleting a site only after a verified backup.

A backup reads one committed snapshot on a connection of its own, so these tests run with
`committed_db` (no test transaction) on sites they make and remove themselves.
"""

import io
import json
import shutil
import tarfile
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.images.models import Image

from columns.models import ArticlePage
from library.models import Delivery, PublishedReport, ResourceItem
from reports.actions import generate_annual_report
from reports.models import AnnualReportPage
from search import index
from syndication import actions as syndication
from syndication import sync
from syndication.models import ReprintPage
from tenants import actions, backup_file
from tenants.actions.base import SITE_OPERATION_LOCK
from tenants.models import AuditEvent, GovSite, SiteBackup
from tests.factories import ArticleFactory, ImageFactory, StaffFactory, column
from tests.helpers import drop_committed_site, job_page_once_run, raw_connection
from tests.two_factor import signed_in

TITLE = "新都区召开乡村振兴工作推进会"


def png_bytes(colour):
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def scratch(committed_db):
    """Committed sites made by a test (region codes); removed afterwards with their backups and files."""
    made = []
    yield made
    connection.set_schema_to_public()
    for code in made:
        for backup in SiteBackup.objects.filter(region_code=code):
            backup.path.unlink(missing_ok=True)
            backup.delete()
        drop_committed_site(code)
        clear_files(f"site_{code}")


def clear_files(schema):
    shutil.rmtree(backup_file.backup_root() / schema, ignore_errors=True)
    for root in backup_file.MEDIA_ROOTS:
        shutil.rmtree(backup_file.media_dir(root, schema), ignore_errors=True)


def make_county(scratch, name="新都区", code="510114"):
    """A committed county under 成都市 with an article that shows an image, indexed in the library."""
    scratch.append(code)
    clear_files(f"site_{code}")  # what an interrupted earlier run may have left
    city = GovSite.objects.get(region_code="510100")
    site = actions.provision_site(
        name=name, level="county", parent=city, region_code=code, site_code=f"{code}0001",
        domains=[f"{code}.backup.localhost"], acting_user=None, source="tests",
    ).site
    with schema_context(site.schema_name):
        image = ImageFactory(title="会场", file=ContentFile(png_bytes((200, 30, 30)), name="hall.png"))
        ArticleFactory(
            title=TITLE, slug="meeting", first_published_at=timezone.now(),
            body="<p>会议部署了下一阶段的乡村振兴工作。</p>", feature_image=image, revision=False,
        )
        index.rebuild(site)
    connection.set_schema_to_public()
    return site


def page_titles(site):
    with schema_context(site.schema_name):
        return sorted(ArticlePage.objects.values_list("title", flat=True))


def image_url(site):
    with schema_context(site.schema_name):
        return "/media/" + Image.objects.get(title="会场").file.name


def row_counts(schema):
    with raw_connection() as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
        )]
        return {t: conn.execute(f'SELECT count(*) FROM "{schema}"."{t}"').fetchone()[0] for t in tables}  # noqa: S608


def schemas_like(pattern):
    with raw_connection() as conn:
        return [r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [pattern])]


def test_backup_is_verified_and_restores_as_a_new_site_identical_to_the_original(scratch):
    original = make_county(scratch)
    before_counts = row_counts(original.schema_name)
    before_media = backup_file.media_digests(original.schema_name)
    assert before_media, "the site has files to back up"

    backup = actions.backup_site(original, acting_user=None, source="tests")
    assert backup.is_verified and backup.path.is_file() and backup.size == backup.path.stat().st_size
    assert backup.media_count == len(before_media)
    assert AuditEvent.objects.filter(action="backup_site", site=original).exists()

    scratch.append("510115")
    copy = actions.restore_as_new_site(
        backup, name="温江区", parent=original.parent, region_code="510115", site_code="5101150001",
        domains=["copy.backup.localhost"], acting_user=None, source="tests",
    )
    # Byte for byte: the same rows in every table, the same files with the same checksums.
    assert row_counts(copy.schema_name) == before_counts
    assert backup_file.media_digests(copy.schema_name) == before_media

    page = Client(HTTP_HOST="copy.backup.localhost").get("/xwdt/meeting/")
    assert page.status_code == 200 and TITLE in page.content.decode()
    picture = Client(HTTP_HOST="copy.backup.localhost").get(image_url(copy))
    assert picture.status_code == 200 and b"".join(picture.streaming_content) == png_bytes((200, 30, 30))
    # The copy answers on its own host and is in the library under its own address.
    item = ResourceItem.objects.get(site=copy, title=TITLE)
    assert item.url.startswith("http://copy.backup.localhost")

    # The original is untouched by the restore and by changes to the copy.
    with schema_context(copy.schema_name):
        ArticlePage.objects.filter(slug="meeting").update(title="只改了副本")
    connection.set_schema_to_public()
    assert page_titles(original) == [TITLE]
    assert row_counts(original.schema_name) == before_counts
    assert backup_file.media_digests(original.schema_name) == before_media
    assert Client(HTTP_HOST="510114.backup.localhost").get("/xwdt/meeting/").status_code == 200
    assert AuditEvent.objects.filter(action="restore_as_new_site", site=copy).exists()


def test_restore_over_the_site_brings_back_what_was_deleted_after_the_backup(scratch, fixture_sites):
    site = make_county(scratch)
    with schema_context(site.schema_name):
        SessionStore().create()  # someone signed in when the backup was made
    connection.set_schema_to_public()
    backup = actions.backup_site(site, acting_user=None)
    with schema_context(site.schema_name):
        ArticlePage.objects.get(slug="meeting").delete()
        Image.objects.get(title="会场").delete()  # Wagtail removes the file too
    connection.set_schema_to_public()
    neighbour = fixture_sites["county"]
    neighbour_counts = row_counts(neighbour.schema)

    actions.restore_backup(backup, acting_user=None, source="tests")

    assert page_titles(site) == [TITLE]
    with schema_context(site.schema_name):
        assert not Session.objects.exists(), "a restore signs everyone out of the site"
    response = Client(HTTP_HOST="510114.backup.localhost").get(image_url(site))
    assert response.status_code == 200 and b"".join(response.streaming_content) == png_bytes((200, 30, 30))
    # The state just before the restore was kept as a backup of its own.
    safety = SiteBackup.objects.get(site=site, trigger=SiteBackup.Trigger.BEFORE_RESTORE)
    assert safety.is_verified
    assert row_counts(neighbour.schema) == neighbour_counts, "restoring one site never touches another"
    assert schemas_like(site.schema_name + "%") == [site.schema_name], "the replaced schema is gone"


def test_a_restore_brings_the_sites_published_report_back_into_the_gatherings_above(scratch):
    """The province's 年度报表汇总 reads library rows that publishing writes; a restore publishes nothing."""
    site = make_county(scratch)
    with schema_context(site.schema_name):
        report = generate_annual_report(site, 2025).page
        report.save_revision().publish()
        report_url = report.url
    connection.set_schema_to_public()
    backup = actions.backup_site(site, acting_user=None)
    with schema_context(site.schema_name):
        AnnualReportPage.objects.get(pk=report.pk).unpublish()
    connection.set_schema_to_public()
    assert not PublishedReport.objects.filter(site=site).exists()

    actions.restore_backup(backup, acting_user=None, source="tests", safety_backup=False)

    row = PublishedReport.objects.get(site=site, year=2025)
    assert row.url == f"http://510114.backup.localhost{report_url}"
    province = GovSite.objects.get(level="province")
    gathering = Client(HTTP_HOST=province.primary_domain().domain).get("/ndbb/2025/")
    assert gathering.status_code == 200 and "新都区" in gathering.content.decode()


def make_township(scratch, county, code="510114001"):
    scratch.append(code)
    clear_files(f"site_{code}")
    return actions.provision_site(
        name="新都街道", level="township", parent=county, region_code=code, site_code="5101141001",
        domains=[f"{code}.backup.localhost"], acting_user=None, source="tests",
    ).site


def distribute_from(source, receiver, title):
    """`source` publishes an article and distributes it to `receiver`, which catches up; returns the Distribution."""
    with schema_context(source.schema_name):
        page = ArticleFactory(parent=column("tzgg"), title=title, slug="fenfa", body="<p>下发的通知。</p>")
        distribution = syndication.distribute_page(
            page, source, levels=[receiver.level], root=receiver,
            acting_user=get_user_model().objects.get(username="admin"),
        )
    catch_up(receiver)
    return distribution


def catch_up(site):
    with schema_context(site.schema_name):
        sync.catch_up(site)
    connection.set_schema_to_public()


def test_a_restored_receiving_site_is_relinked_to_what_was_distributed_since_its_backup(scratch):
    """The backup predates the item: its copy is gone with the restore, and the library must not point at it."""
    county = make_county(scratch)
    township = make_township(scratch, county)
    backup = actions.backup_site(township, acting_user=None)
    distribution = distribute_from(county, township, "新都区关于做好冬季防火工作的通知")
    delivered = Delivery.objects.get(distribution=distribution, site=township)
    assert delivered.page_id is not None and delivered.state == Delivery.State.ACCEPTED

    actions.restore_backup(backup, acting_user=None, source="tests", safety_backup=False)

    delivery = Delivery.objects.get(pk=delivered.pk)
    with schema_context(township.schema_name):
        assert not ReprintPage.objects.exists(), "the backup has no copy"
    connection.set_schema_to_public()
    assert delivery.page_id is None, "the delivery still named a page the restored schema does not have"
    assert delivery.applied_revision < distribution.revision, "the item must reach the restored site again"
    catch_up(township)
    delivery.refresh_from_db()
    with schema_context(township.schema_name):
        copy = ReprintPage.objects.get(distribution_id=distribution.pk)
    connection.set_schema_to_public()
    assert delivery.page_id == copy.pk and copy.live
    assert Client(HTTP_HOST="510114001.backup.localhost").get(f"/sjxx/d{distribution.pk}/").status_code == 200


def test_a_restored_source_site_withdraws_what_it_no_longer_has_and_lets_go_of_the_page_id(scratch):
    county = make_county(scratch)
    township = make_township(scratch, county)
    backup = actions.backup_site(county, acting_user=None)
    distribution = distribute_from(county, township, "新都区关于做好冬季防火工作的通知")
    old_page_id = distribution.source_page_id

    actions.restore_backup(backup, acting_user=None, source="tests", safety_backup=False)

    distribution.refresh_from_db()
    assert distribution.is_withdrawn, "the source page is not in the restored site: its copies must go"
    assert distribution.source_page_id != old_page_id
    catch_up(township)
    with schema_context(township.schema_name):
        assert not ReprintPage.objects.get(distribution_id=distribution.pk).live
    # The restored schema hands out page ids again: a new page with the old id is not the distributed one.
    with schema_context(county.schema_name):
        page = ArticleFactory(parent=column("tzgg"), title="新都区另一条通知", slug="lingyi", body="<p>无关。</p>")
        reused = page.pk
    connection.set_schema_to_public()
    assert reused == old_page_id, "the restored sequence gives the old id to the next page"
    distribution.refresh_from_db()
    assert distribution.is_withdrawn and distribution.title == "新都区关于做好冬季防火工作的通知"


def corrupt(path, offset_from_middle=0):
    data = bytearray(path.read_bytes())
    data[len(data) // 2 + offset_from_middle] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_damaged_backup_is_refused_and_the_site_keeps_its_content(scratch):
    site = make_county(scratch)
    backup = actions.backup_site(site, acting_user=None)
    with schema_context(site.schema_name):
        ArticlePage.objects.filter(slug="meeting").update(title="备份之后的修改")
    connection.set_schema_to_public()
    corrupt(backup.path)

    with pytest.raises(actions.SiteActionError, match=r"损坏|不符"):
        actions.restore_backup(backup, acting_user=None)
    assert page_titles(site) == ["备份之后的修改"], "a refused restore changes nothing"
    backup.refresh_from_db()
    assert not backup.is_verified and backup.problem
    assert not SiteBackup.objects.filter(trigger=SiteBackup.Trigger.BEFORE_RESTORE).exists()

    # Without the recorded checksum the damage is still found, member by member.
    with pytest.raises(backup_file.DamagedBackup):
        backup_file.verify(backup.path)
    # A truncated file cannot even be opened as a backup.
    backup.path.write_bytes(backup.path.read_bytes()[:5000])
    with pytest.raises(backup_file.DamagedBackup):
        backup_file.verify(backup.path)


def rewrite_manifest(path, change):
    """A copy of the backup whose manifest `change` edited (what another platform version would have written)."""
    out = path.with_name("edited-" + path.name)
    with tarfile.open(path) as source, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup_file.MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


def test_a_backup_of_another_platform_version_is_refused_with_a_clear_message(scratch):
    site = make_county(scratch)
    backup = actions.backup_site(site, acting_user=None)
    edited = rewrite_manifest(backup.path, lambda m: m["migrations"].append("columns.9999_from_the_future"))
    try:
        SiteBackup.objects.filter(pk=backup.pk).update(
            file_name=edited.relative_to(backup_file.backup_root()).as_posix(), size=edited.stat().st_size,
            sha256=backup_file.file_digest(edited),
        )
        backup.refresh_from_db()
        scratch.append("510115")
        with pytest.raises(actions.SiteActionError, match="较新的平台版本"):
            actions.restore_as_new_site(
                backup, name="温江区", parent=site.parent, region_code="510115", site_code="5101150001",
                domains=["copy.backup.localhost"], acting_user=None,
            )
        assert not GovSite.objects.filter(region_code="510115").exists()
        assert not schemas_like("site_510115")
    finally:
        edited.unlink(missing_ok=True)


def test_delete_needs_a_stopped_site_a_later_verified_backup_and_the_typed_name(scratch):
    site = make_county(scratch)
    early = actions.backup_site(site, acting_user=None)
    with pytest.raises(actions.SiteActionError, match="先暂停或归档"):
        actions.delete_site(site, confirm_name="新都区", acting_user=None)
    actions.suspend_site(site, acting_user=None)
    site.refresh_from_db()
    assert early.created_at < site.status_changed_at
    with pytest.raises(actions.SiteActionError, match="备份"):
        actions.delete_site(site, confirm_name="新都区", acting_user=None)
    backup = actions.backup_site(site, acting_user=None)
    with pytest.raises(actions.SiteActionError, match="请输入站点名称"):
        actions.delete_site(site, confirm_name="新都", acting_user=None)
    assert GovSite.objects.filter(pk=site.pk).exists()

    actions.delete_site(site, confirm_name="新都区", acting_user=None, source="tests")

    assert not GovSite.objects.filter(region_code="510114").exists()
    assert not schemas_like("site_510114")
    assert not backup_file.media_dir("public", "site_510114").exists()
    assert Client(HTTP_HOST="510114.backup.localhost").get("/").status_code == 404, "the domain is released"
    backup.refresh_from_db()
    assert backup.site is None and backup.path.is_file(), "the backup outlives the site"
    event = AuditEvent.objects.get(action="delete_site", site_label__startswith="新都区")
    assert event.detail["backup"] == backup.file_name

    # The deleted site comes back from its backup under its own codes and domain.
    again = actions.restore_as_new_site(
        backup, name="新都区", parent=GovSite.objects.get(region_code="510100"), region_code="510114",
        site_code="5101140001", domains=["510114.backup.localhost"], acting_user=None,
    )
    assert page_titles(again) == [TITLE]
    assert Client(HTTP_HOST="510114.backup.localhost").get("/xwdt/meeting/").status_code == 200


def test_deleting_refuses_a_site_whose_backup_was_damaged_since(scratch):
    site = make_county(scratch)
    actions.archive_site(site, acting_user=None)
    backup = actions.backup_site(site, acting_user=None)
    corrupt(backup.path)
    with pytest.raises(actions.SiteActionError, match="重新备份"):
        actions.delete_site(site, confirm_name="新都区", acting_user=None)
    assert GovSite.objects.filter(pk=site.pk).exists()
    assert schemas_like("site_510114") == ["site_510114"]


def test_a_second_admin_is_told_when_the_site_is_busy(scratch):
    site = make_county(scratch)
    with raw_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [SITE_OPERATION_LOCK, site.pk])
        with pytest.raises(actions.SiteActionError, match="正在进行备份、恢复或删除"):
            actions.backup_site(site, acting_user=None)
    with raw_connection() as other, other.transaction():
        other.execute("SELECT 1 FROM tenants_govsite WHERE id = %s FOR UPDATE", [site.pk])
        with pytest.raises(actions.SiteActionError, match="另一位管理员正在"):
            actions.suspend_site(site, acting_user=None)
    site.refresh_from_db()
    assert site.is_active, "the refused action changed nothing"
    assert not SiteBackup.objects.filter(site=site).exists()


def test_backup_command_backs_up_each_site_and_keeps_the_newest_scheduled_ones(scratch):
    site = make_county(scratch)
    with override_settings(SITE_BACKUP_KEEP=2):
        for _ in range(3):
            call_command("backup_sites", "--site", "510114", "--scheduled", stdout=io.StringIO())
    kept = SiteBackup.objects.filter(site=site, trigger=SiteBackup.Trigger.SCHEDULED)
    assert kept.count() == 2 and all(b.path.is_file() for b in kept)
    files = list(backup_file.backup_root().joinpath(site.schema_name).glob("*.tar"))
    assert len(files) == 2, "pruned backups leave no file behind"
    with pytest.raises(CommandError, match="找不到"):
        call_command("backup_sites", "--site", "519999")
    with pytest.raises(CommandError, match="没有编号"):
        call_command("restore_site", "999999")


@pytest.fixture
def committed_admin(committed_db):
    """A platform administrator's console session, committed like everything else here."""
    from tenants import staff_roles

    user = StaffFactory(username="backup-admin", password="backup-pass-1234", role=staff_roles.SYSTEM)
    yield signed_in(user)
    # Not user.delete(): its cascade looks for Wagtail's per-site tables, which public does not have.
    with raw_connection() as conn:
        conn.execute("UPDATE tenants_auditevent SET actor_id = NULL WHERE actor_id = %s", [user.pk])
        conn.execute("UPDATE tenants_sitejob SET requested_by_id = NULL WHERE requested_by_id = %s", [user.pk])
        conn.execute("DELETE FROM auth_user_groups WHERE user_id = %s", [user.pk])
        conn.execute("DELETE FROM otp_totp_totpdevice WHERE user_id = %s", [user.pk])
        conn.execute("DELETE FROM auth_user WHERE id = %s", [user.pk])


def test_the_whole_life_of_a_backup_from_the_console(scratch, committed_admin):
    site = make_county(scratch)
    console = committed_admin
    queued = console.post(f"/sites/{site.pk}/backups/", {"op": "backup"}, follow=True)
    assert "备份站点：新都区" in queued.content.decode() and "排队中" in queued.content.decode()
    assert not SiteBackup.objects.filter(site=site).exists(), "the request only queued the backup"
    assert "已完成备份并校验通过" in job_page_once_run(console, queued)
    listing = console.get(f"/sites/{site.pk}/backups/").content.decode()
    backup = SiteBackup.objects.get(site=site)
    assert "校验通过" in listing and "重新校验" in listing and f"/backups/{backup.pk}/restore/" in listing

    with schema_context(site.schema_name):
        ArticlePage.objects.filter(slug="meeting").update(title="备份之后改的")
    connection.set_schema_to_public()
    confirm = console.get(f"/backups/{backup.pk}/restore/").content.decode()
    assert "替换本站当前的全部内容" in confirm
    queued = console.post(f"/backups/{backup.pk}/restore/", {"safety_backup": "on"}, follow=True)
    assert "从备份恢复站点：新都区" in queued.content.decode()
    assert "已恢复到" in job_page_once_run(console, queued)
    assert page_titles(site) == [TITLE]

    actions.archive_site(site, acting_user=None)
    job_page_once_run(console, console.post(f"/sites/{site.pk}/backups/", {"op": "backup"}, follow=True))
    queued = console.post(f"/sites/{site.pk}/delete/", {"confirm_name": "新都区"}, follow=True)
    assert "已删除" in job_page_once_run(console, queued)
    assert not GovSite.objects.filter(region_code="510114").exists()

    kept = SiteBackup.objects.filter(region_code="510114", site__isnull=True).order_by("-created_at").first()
    listing = console.get("/backups/?deleted=1").content.decode()
    assert "新都区（已删除）" in listing
    form = console.get(f"/backups/{kept.pk}/restore-new/").content.decode()
    assert 'value="510114"' in form, "a deleted site's codes are offered back"
    response = console.post(f"/backups/{kept.pk}/restore-new/", {
        "name": "新都区", "parent": GovSite.objects.get(region_code="510100").pk, "region_code": "510114",
        "site_code": "5101140001", "domain": "510114.backup.localhost",
    }, follow=True)
    assert "已从备份恢复为新站点" in job_page_once_run(console, response)
    assert Client(HTTP_HOST="510114.backup.localhost").get("/xwdt/meeting/").status_code == 200


def accounts(site):
    with schema_context(site.schema_name):
        return {u.username: (u.is_active, u.password) for u in get_user_model().objects.all()}


def test_a_restore_keeps_what_was_decided_about_accounts_since_the_backup(scratch):
    site = make_county(scratch)
    actions.create_account(site, username="editor1", acting_user=None)
    actions.create_account(site, username="leaver", acting_user=None)
    backup = actions.backup_site(site, acting_user=None)
    # Since the backup: one account disabled (someone left), the admin's password reset after a leak,
    # one account removed in the site's admin, one new account.
    actions.set_active(site, "editor1", False, acting_user=None)
    new_password = actions.reset_password(site, actions.SITE_ADMIN_USERNAME, acting_user=None)
    with schema_context(site.schema_name):
        get_user_model().objects.filter(username="leaver").delete()
    actions.create_account(site, username="newcomer", acting_user=None)
    before = accounts(site)

    actions.restore_backup(backup, acting_user=None, safety_backup=False)

    after = accounts(site)
    assert after["editor1"] == before["editor1"] and not after["editor1"][0], "disabled stays disabled"
    assert after[actions.SITE_ADMIN_USERNAME] == before[actions.SITE_ADMIN_USERNAME], "the reset password stays"
    assert after["leaver"][0] is False, "an account removed since comes back disabled"
    client = Client(HTTP_HOST="510114.backup.localhost")
    assert client.post("/admin/login/", {"username": "admin", "password": new_password}).status_code == 302
    event = AuditEvent.objects.filter(action="restore_site", site=site).latest("pk")
    assert event.detail["accounts_not_in_backup"] == ["newcomer"]

    # The operator may choose the backup's accounts as they were.
    actions.restore_backup(backup, acting_user=None, safety_backup=False, keep_accounts=False)
    assert accounts(site)["editor1"][0] is True and accounts(site)["leaver"][0] is True
