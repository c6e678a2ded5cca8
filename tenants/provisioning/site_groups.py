"""The default groups of every site: 编辑 (editor), 审核 (reviewer), 站点管理员 (site administrator), and
信息公开办 (the disclosure office: it has no page of its own here; the disclosure app grants what it does).

Wagtail's migrations create "Editors" and "Moderators" with page permissions on
the root and the "Moderators approval" workflow; they are renamed here and a
site-administrator group is added that can also manage the site's own users.
Nobody inside a site is a superuser: a site's top account is bounded by these
permissions. Each app grants its own models' permissions to these groups when it
answers tenants.signals.apply_site_standard (`grant`).
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Task, Workflow

EDITOR, REVIEWER, SITE_ADMIN, DISCLOSURE_OFFICE = "编辑", "审核", "站点管理员", "信息公开办"
SITE_GROUPS = [EDITOR, REVIEWER, SITE_ADMIN, DISCLOSURE_OFFICE]
# The groups that work on the site's content (pages, documents, citizens' messages).
CONTENT_GROUPS = [EDITOR, REVIEWER, SITE_ADMIN]

_RENAMES = {"Editors": EDITOR, "Moderators": REVIEWER}
_PAGE_PERMS = {
    EDITOR: ["add_page", "change_page"],
    REVIEWER: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    SITE_ADMIN: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
_COLLECTION_PERMS = {
    EDITOR: [("wagtailimages", "add_image"), ("wagtailimages", "choose_image"),
             ("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document")],
    REVIEWER: [("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
               ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
               ("wagtaildocs", "choose_document")],
    SITE_ADMIN: [("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
                 ("wagtailimages", "delete_image"), ("wagtailimages", "choose_image"),
                 ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
                 ("wagtaildocs", "delete_document"), ("wagtaildocs", "choose_document")],
}
_MODEL_PERMS = {
    EDITOR: [("wagtailadmin", "access_admin")],
    REVIEWER: [("wagtailadmin", "access_admin")],
    SITE_ADMIN: [("wagtailadmin", "access_admin"), ("auth", "add_user"), ("auth", "change_user"),
                 ("auth", "delete_user"), ("auth", "view_user")],
    DISCLOSURE_OFFICE: [("wagtailadmin", "access_admin")],
}


def _perm(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(groups, permissions):
    """Give each of `groups` (names of SITE_GROUPS) the model permissions [(app label, codename)]."""
    perms = [_perm(app, code) for app, code in permissions]
    for group in Group.objects.filter(name__in=groups):
        group.permissions.add(*perms)


def ensure_site_groups():
    """The standard groups with the platform's own permissions (apps add theirs: `grant`)."""
    for old, new in _RENAMES.items():
        Group.objects.filter(name=old).update(name=new)
    root_collection = Collection.get_first_root_node()
    root_page = Page.get_first_root_node()
    for name in SITE_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_perm(app, code) for app, code in _MODEL_PERMS[name]])
        GroupPagePermission.objects.filter(group=group).exclude(page=root_page).delete()
        for codename in _PAGE_PERMS.get(name, []):
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_perm("wagtailcore", codename)
            )
        for app, codename in _COLLECTION_PERMS.get(name, []):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_perm(app, codename)
            )


def ensure_review_workflow():
    """编辑 submits → 审核 approves → published.

    Wagtail's migrations create a "Moderators approval" workflow on the root page
    whose task belongs to the Moderators group (renamed 审核 above); editors of the
    编辑 group have no publish permission, so everything they publish goes through it.
    """
    Workflow.objects.filter(name="Moderators approval").update(name="审核发布")
    Task.objects.filter(name="Moderators approval").update(name="审核")
