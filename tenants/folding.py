"""Folding a township's site into its county's (乡镇网站并入县级门户).

The national guidelines say townships should normally not run portals of their own.
`fold_township` moves a township's whole site into a new 专栏 column of its county's
site, in one transaction:

- every page (columns, articles, policies, services, mailbox, consultations, drafts
  too) is recreated in the county schema in the same tree order, with its attachments
  and questions; links between pages, images and documents (foreign keys and rich
  text) are pointed at the new copies;
- images, documents and mailbox attachments are copied into the county's folders;
  citizen messages and consultation feedback move with their pages (tracking codes
  unchanged, so a citizen's code still finds the answer);
- every old address is recorded (FoldedPath): the township's hosts answer 301 to the
  same content on the county site (tenants.middleware), sub-addresses such as a
  message's reply page included, and anything unknown goes to the 专栏 column;
- the county's search index and the central library get the new pages, the township's
  library rows go; the township is marked folded (schema kept, not dropped).

The township's accounts stay in its (archived) schema: the county's editors now run
the column. Copying, not moving rows between schemas, keeps the township's schema
intact as the record of what was folded.
"""

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from . import audit
from .actions import SiteActionError, _require_public_schema, _routing_changed, lock_site
from .models import FoldedPath, GovSite, SiteLevel, SiteStatus
from .routing import site_urls
from .site_backups import site_operation

TOPIC_CONTAINER_SLUG = "xzzl"
TOPIC_CONTAINER_TITLE = "乡镇（街道）专栏"

# Page fields that belong to the page's place and history in its own site, not to its content.
_RESET_PAGE_FIELDS = {
    "latest_revision": None, "live_revision": None, "alias_of": None, "owner": None, "locked": False,
    "locked_by": None, "locked_at": None,
}
_RICH_TEXT_REF = re.compile(r"<(a|embed)\b[^>]*>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class FoldResult:
    county: GovSite
    column_url: str
    pages: int = 0
    images: int = 0
    documents: int = 0
    messages: int = 0
    redirects: int = 0
    missing_files: list = field(default_factory=list)


@dataclass
class _Maps:
    pages: dict = field(default_factory=dict)  # old page id -> new page
    images: dict = field(default_factory=dict)  # old image id -> new image
    documents: dict = field(default_factory=dict)
    questions: dict = field(default_factory=dict)  # old consultation question id -> new id
    paths: dict = field(default_factory=dict)  # old path on the township's host -> new path on the county's
    written_files: list = field(default_factory=list)  # absolute paths, removed if the fold fails
    missing_files: list = field(default_factory=list)  # files the township's rows name but its folder lacks


def check_foldable(township):
    """The county a township would fold into; SiteActionError if it cannot be folded now."""
    if township.level != SiteLevel.TOWNSHIP:
        raise SiteActionError(
            f"只有乡镇（街道）站点可以并入县级站点；“{township.name}”是{township.get_level_display()}站点"
        )
    if township.status not in (SiteStatus.ACTIVE, SiteStatus.SUSPENDED):
        raise SiteActionError(f"站点“{township.name}”当前{township.get_status_display()}，不能并入")
    county = township.parent
    if county is None or county.level != SiteLevel.COUNTY:
        raise SiteActionError(f"站点“{township.name}”没有上级县级站点，无处并入")
    if county.status != SiteStatus.ACTIVE:
        raise SiteActionError(
            f"上级站点“{county.name}”当前{county.get_status_display()}，不能接收并入的内容：请先恢复它的运行"
        )
    return county


def fold_township(township, *, acting_user, source=""):
    """Fold `township` into its county (see the module docstring). Returns a FoldResult."""
    _require_public_schema()
    county = check_foldable(township)
    maps = _Maps()
    try:
        with site_operation(township, "并入"), site_operation(county, "接收并入"), transaction.atomic():
            township, county = lock_site(township), lock_site(county)
            check_foldable(township)
            content = _read(township)
            with schema_context(county.schema_name), site_urls():
                result = _write(content, township, county, maps)
            FoldedPath.objects.bulk_create(
                FoldedPath(site=township, old_path=old, new_path=new) for old, new in maps.paths.items()
            )
            result.redirects = len(maps.paths)
            _library_forgets(township)
            township.status = SiteStatus.FOLDED
            township.successor = county
            township.status_changed_at = timezone.now()
            township.save(update_fields=["status", "successor", "status_changed_at", "updated_at"])
            audit.record(
                "fold_township", acting_user=acting_user, site=township, source=source,
                county=county.region_code, column_url=result.column_url, pages=result.pages, images=result.images,
                documents=result.documents, messages=result.messages, redirects=result.redirects,
                missing_files=result.missing_files[:50],
            )
            audit.record("receive_township", acting_user=acting_user, site=county, source=source,
                         township=township.region_code, column_url=result.column_url, pages=result.pages)
            _routing_changed(township)
            _routing_changed(county)
    except BaseException:
        for path in maps.written_files:
            Path(path).unlink(missing_ok=True)
        raise
    finally:
        connection.set_schema_to_public()
    return result


@dataclass
class _Content:
    home_id: int
    pages: list  # [(old page id, old parent id, old url_path, model, serializable data)], in tree order
    images: list  # [(old id, {field: value}, relative file name, [rendition file names])]
    documents: list
    messages: list  # [{field: value}]
    feedback: list
    restrictions: list  # [(old page id, restriction type, password, [group names])]


def _read(township):
    """Everything of the township's site, read in its schema into plain data."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction

    from columns.models import ColumnPage, ColumnType, HomePage
    from interaction.models import Feedback, Message

    with schema_context(township.schema_name):
        home = HomePage.objects.first()
        if home is None:
            raise SiteActionError(f"站点“{township.name}”没有首页，无法并入")
        pages = []
        ids_by_path = {home.path: home.pk}
        # What the sites above distributed (上级信息) is not the township's: the county has its own copy.
        from_above = tuple(ColumnPage.objects.filter(column_type=ColumnType.REPRINT).values_list("path", flat=True))
        for page in Page.objects.descendant_of(home).order_by("path").specific():
            if from_above and page.path.startswith(from_above):
                continue
            ids_by_path[page.path] = page.pk
            parent_id = ids_by_path[page.path[:-Page.steplen]]  # tree order: the parent came first
            pages.append((page.pk, parent_id, page.url_path, type(page), page.serializable_data()))
        images = [
            (image.pk, _plain_fields(image, skip={"id", "file", "collection", "uploaded_by_user"}), image.file.name,
             [r.file.name for r in image.renditions.all()])
            for image in get_image_model().objects.prefetch_related("renditions")
        ]
        documents = [
            (doc.pk, _plain_fields(doc, skip={"id", "file", "collection", "uploaded_by_user"}), doc.file.name, [])
            for doc in get_document_model().objects.all()
        ]
        messages = list(Message.objects.values())
        feedback = list(Feedback.objects.values())
        restrictions = [
            (r.page_id, r.restriction_type, r.password, [g.name for g in r.groups.all()])
            for r in PageViewRestriction.objects.prefetch_related("groups")
        ]
    return _Content(home.pk, pages, images, documents, messages, feedback, restrictions)


def _plain_fields(instance, skip):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.name not in skip}


def _write(content, township, county, maps):
    """Recreate the township's content in the county's schema (the current one)."""
    from wagtail.models import Page

    from columns.models import ColumnPage, ColumnType, HomePage, path_on_site
    from search import index

    county_home = HomePage.objects.first()
    container = ColumnPage.objects.child_of(county_home).filter(slug=TOPIC_CONTAINER_SLUG).first()
    if container is None:
        container = county_home.add_child(instance=ColumnPage(
            title=TOPIC_CONTAINER_TITLE, slug=TOPIC_CONTAINER_SLUG, column_type=ColumnType.TOPIC, live=True,
            first_published_at=timezone.now(), show_in_menus=False,
        ))
    slug = _free_slug(container, _township_slug(township))
    column = container.add_child(instance=ColumnPage(
        title=f"{township.name}专栏", slug=slug, column_type=ColumnType.TOPIC, live=True,
        first_published_at=timezone.now(),
        description=f"原{township.display_name}网站的内容（{timezone.localdate():%Y年%m月}并入）",
    ))
    maps.pages[content.home_id] = column
    maps.paths["/"] = _site_path(column)

    _copy_files(content.images, township, maps.images, maps, _image_model(), kind="image")
    _copy_files(content.documents, township, maps.documents, maps, _document_model(), kind="document")

    page_refs = []
    for old_id, old_parent, _url_path, model, data in content.pages:
        page, refs, children = _copy_page(model, data, maps)
        maps.pages[old_parent].add_child(instance=page)  # saves the child rows too, giving them ids
        maps.pages[old_id] = page
        page_refs.append((page, refs))
        for old_pk, child in children:
            if type(child).__name__ == "ConsultationQuestion":
                maps.questions[old_pk] = child.pk
    for old_id, _parent, old_url_path, _model, _data in content.pages:
        maps.paths[path_on_site(old_url_path)] = _site_path(maps.pages[old_id])
    for page, refs in page_refs:
        _point_references(page, refs, maps)
    _copy_restrictions(content.restrictions, maps)

    result = FoldResult(county=county, column_url=county.base_url() + _site_path(column),
                        pages=len(content.pages), images=len(maps.images), documents=len(maps.documents),
                        missing_files=maps.missing_files)
    result.messages = _copy_messages(content.messages, content.feedback, township, maps)
    index.index_subtree(Page.objects.get(pk=column.pk), county)
    return result


def _copy_restrictions(restrictions, maps):
    """A private township page stays private: password, login or group restrictions come along.

    Groups are matched by name (every site has the standard groups); a group the county
    lacks is left out, which narrows who may see the page, never widens it.
    """
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    for old_page, kind, password, group_names in restrictions:
        page = maps.pages.get(old_page)
        if page is None:
            continue
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password=password)
        if group_names:
            restriction.groups.set(Group.objects.filter(name__in=group_names))


def _image_model():
    from wagtail.images import get_image_model

    return get_image_model()


def _document_model():
    from wagtail.documents import get_document_model

    return get_document_model()


def _township_slug(township):
    domain = township.primary_domain()
    label = domain.domain.split(".")[0] if domain else ""
    return label if re.fullmatch(r"[a-z0-9-]{1,50}", label) else f"t{township.region_code}"


def _free_slug(parent, slug):
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _site_path(page):
    return page.get_url_parts()[2] if page.get_url_parts() else page.url_path


def _copy_files(items, township, target_map, maps, model, *, kind):
    """Copy image or document rows and files into the county; record each old file address's new one."""
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    source_dir = Path(settings.MEDIA_ROOT) / township.schema_name
    for old_id, values, name, renditions in items:
        source = source_dir / name
        if not source.is_file():
            maps.missing_files.append(name)
            continue
        new = model(**values, collection=root)
        with open(source, "rb") as handle:
            new.file.save(Path(name).name, File(handle), save=False)
        maps.written_files.append(new.file.path)
        new.save()
        target_map[old_id] = new
        new_url = settings.MEDIA_URL + new.file.name
        maps.paths[settings.MEDIA_URL + name] = new_url
        for rendition in renditions:
            maps.paths[settings.MEDIA_URL + rendition] = new_url  # renditions are remade on demand
        if kind == "document":
            filename = Path(name).name
            maps.paths[f"/documents/{old_id}/{filename}"] = f"/documents/{new.pk}/{Path(new.file.name).name}"


def _copy_page(model, data, maps):
    """An unsaved copy of a page with its child rows; images and documents already point to the copies.

    Returns the page, its references to other pages (set once every page exists), and
    [(old id, child row)] of its child rows.
    """
    from modelcluster.fields import ParentalKey
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    page = model.from_serializable_data(data, check_fks=False, strict_fks=False)
    page.pk = page.id = page.page_ptr_id = None
    page._state.adding = True  # a new row, whatever the loaded data said
    page.path = page.depth = page.url_path = None
    page.numchild = 0
    page.translation_key = uuid.uuid4()
    for name, value in _RESET_PAGE_FIELDS.items():
        setattr(page, name, value)
    if hasattr(page, "is_mandated"):
        page.is_mandated = False  # the county's editors may reorganise the township's columns
    if hasattr(page, "is_headline"):
        page.is_headline = False  # the county's own banner stays its own
    children = [(child.pk, child) for child in _child_objects(page)]
    page_refs = {}
    for obj in [page, *(child for _, child in children)]:
        if obj is not page:
            obj.pk = None
            obj._state.adding = True
        for fk in _foreign_keys(obj):
            old = getattr(obj, fk.attname)
            if old is None or isinstance(fk, ParentalKey) or fk.remote_field.parent_link:
                continue
            if fk.name in ("content_type", "locale"):
                continue  # identical ids in every site schema (all cloned from one template)
            target = fk.related_model
            if issubclass(target, Page):
                if obj is page:
                    page_refs[fk.attname] = old
                setattr(obj, fk.attname, None)
            elif issubclass(target, get_image_model()):
                setattr(obj, fk.attname, _pk(maps.images.get(old)))
            elif issubclass(target, get_document_model()):
                setattr(obj, fk.attname, _pk(maps.documents.get(old)))
            else:
                setattr(obj, fk.attname, None)  # users, revisions: rows of the township's own schema
    return page, page_refs, children


def _pk(obj):
    return obj.pk if obj is not None else None


def _child_objects(page):
    from modelcluster.models import get_all_child_relations

    return [
        child
        for relation in get_all_child_relations(page)
        for child in getattr(page, relation.get_accessor_name()).all()
    ]


def _foreign_keys(obj):
    return [f for f in obj._meta.concrete_fields if f.is_relation and f.many_to_one]


def _point_references(page, refs, maps):
    """Second pass, once every copy exists: page foreign keys and rich-text references."""
    from wagtail.fields import RichTextField

    specific_model = type(page)
    updates = {attname: _pk(maps.pages.get(old)) for attname, old in refs.items()}
    for f in specific_model._meta.concrete_fields:
        if isinstance(f, RichTextField) and getattr(page, f.attname):
            updates[f.attname] = remap_rich_text(getattr(page, f.attname), maps)
    if updates:
        specific_model.objects.filter(pk=page.pk).update(**updates)


def remap_rich_text(html, maps):
    """Point page, image and document references in Wagtail's stored rich text at the copies.

    A reference to something that was not copied loses its id (a plain link text or an
    empty embed) rather than pointing at an unrelated item of the county's site.
    """
    def tag(match):
        text = match.group(0)
        attrs = dict(_ATTR.findall(text))
        kind = attrs.get("linktype") or attrs.get("embedtype")
        table = {"page": maps.pages, "document": maps.documents, "image": maps.images}.get(kind)
        if table is None or "id" not in attrs:
            return text
        target = table.get(int(attrs["id"])) if attrs["id"].isdigit() else None
        if target is None:
            return text.replace(f'linktype="{kind}"', "").replace(f'id="{attrs["id"]}"', "") if kind != "image" \
                else ""
        return text.replace(f'id="{attrs["id"]}"', f'id="{target.pk}"')

    return _RICH_TEXT_REF.sub(tag, html)


def _copy_messages(messages, feedback, township, maps):
    """Citizen messages and consultation feedback follow their pages; attachments are copied."""
    from interaction.models import Feedback, Message

    private_source = Path(settings.PRIVATE_MEDIA_ROOT) / township.schema_name
    copied = []
    for values in messages:
        values = dict(values)
        values.pop("id")
        mailbox = maps.pages.get(values.pop("mailbox_id"))
        values["mailbox_id"] = mailbox.pk if mailbox else None
        values["assignee_id"] = values["replied_by_id"] = None
        attachment = values.pop("attachment") or ""
        message = Message(**values)
        if attachment:
            source = private_source / attachment
            if source.is_file():
                with open(source, "rb") as handle:
                    message.attachment.save(Path(attachment).name, File(handle), save=False)
                maps.written_files.append(message.attachment.path)
        copied.append(message)
    # bulk_create: Message.save would recompute fields the township already settled.
    Message.objects.bulk_create(copied)
    rows = []
    for values in feedback:
        consultation = maps.pages.get(values["consultation_id"])
        if consultation is None:
            continue
        answers = {str(maps.questions.get(int(k), k)) if str(k).isdigit() else k: v
                   for k, v in (values["answers"] or {}).items()}
        rows.append(Feedback(consultation_id=consultation.pk, submitted_at=values["submitted_at"],
                             name=values["name"], contact=values["contact"], answers=answers,
                             comment=values["comment"]))
    Feedback.objects.bulk_create(rows)
    return len(copied)


def _library_forgets(township):
    from library.models import ResourceItem

    ResourceItem.objects.filter(site=township).delete()
