"""Folding a township into its county, columns' part: the township's pages become a 专栏 of the county.

Answers tenants.signals.site_folding (tenants.actions.folding has the whole story). Every
page (columns, articles, policies, services, mailbox, consultations, drafts too) is recreated
in the county's schema in the same tree order, as Wagtail's own serialisable data (what
revisions store), with its child rows; images and documents are copied into the county's
folders; links between pages, images and documents (foreign keys and rich text) are pointed
at the new copies in a second pass; view restrictions come along. Every old address goes
into the fold's paths. Then `pages_copied` lets the apps whose rows hang on pages
(interaction: messages, feedback) bring theirs.

Copying, not moving rows between schemas, keeps the township's schema intact as the record
of what was folded.
"""

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files import File
from django.dispatch import receiver
from django.utils import timezone
from django_tenants.utils import schema_context
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from tenants.actions import SiteActionError
from tenants.routing import site_urls
from tenants.signals import site_folding

from .models import ArticlePage, ColumnPage, ColumnType, HomePage, path_on_site
from .signals import pages_copied

Image = get_image_model()
Document = get_document_model()

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
class _Maps:
    """Old id -> the new object, for references between the copies."""

    pages: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)


@dataclass
class _Content:
    home_id: int
    pages: list  # [(old page id, old parent id, old url_path, model, serializable data)], in tree order
    images: list  # [(old id, {field: value}, relative file name, [rendition file names], old collection id)]
    documents: list
    restrictions: list  # [(old page id, restriction type, password, [group names])]
    # Collections of those images and documents that are not open to everyone (their own restriction or
    # an ancestor's): {old collection id: (name, [(restriction type, password, [group names])])}.
    private_collections: dict


@receiver(site_folding)
def fold_pages(sender, township, county, fold, **kwargs):
    content = _read(township)
    maps = _Maps()
    with schema_context(county.schema_name), site_urls():
        column = _write(content, township, county, maps, fold)
        fold.page_ids.update({old: page.pk for old, page in maps.pages.items()})
        fold.column_page_id = column.pk
        fold.column_url = county.base_url() + _site_path(column)
        fold.counts.update(pages=len(content.pages), images=len(maps.images), documents=len(maps.documents))
        pages_copied.send(sender=ColumnPage, source=township, target=county, fold=fold)


def _read(township):
    """The township's pages, files and restrictions, read in its schema into plain data."""
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
             [r.file.name for r in image.renditions.all()], image.collection_id)
            for image in Image.objects.prefetch_related("renditions")
        ]
        documents = [
            (doc.pk, _plain_fields(doc, skip={"id", "file", "collection", "uploaded_by_user"}), doc.file.name, [],
             doc.collection_id)
            for doc in Document.objects.all()
        ]
        private_collections = {}
        for collection in Collection.objects.filter(pk__in={item[4] for item in [*images, *documents]}):
            chain = [(r.restriction_type, r.password, [g.name for g in r.groups.all()])
                     for r in collection.get_view_restrictions().prefetch_related("groups")]
            if chain:
                private_collections[collection.pk] = (collection.name, chain)
        restrictions = [
            (r.page_id, r.restriction_type, r.password, [g.name for g in r.groups.all()])
            for r in PageViewRestriction.objects.prefetch_related("groups")
        ]
    return _Content(home.pk, pages, images, documents, restrictions, private_collections)


def _plain_fields(instance, skip):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.name not in skip}


def _write(content, township, county, maps, fold):
    """Recreate the township's pages in the county's schema (the current one); returns the new column."""
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
    fold.paths["/"] = _site_path(column)

    collections = _Collections(township, content.private_collections)
    _copy_files(content.images, township, maps.images, collections, fold, Image, kind="image")
    _copy_files(content.documents, township, maps.documents, collections, fold, Document, kind="document")

    page_refs = []
    for old_id, old_parent, _url_path, model, data in content.pages:
        page, refs, children = _copy_page(model, data, maps)
        maps.pages[old_parent].add_child(instance=page)  # saves the child rows too, giving them ids
        maps.pages[old_id] = page
        page_refs.append((page, refs))
        for old_pk, child in children:
            fold.row_ids.setdefault(child._meta.label_lower, {})[old_pk] = child.pk
    for old_id, _parent, old_url_path, _model, _data in content.pages:
        fold.paths[path_on_site(old_url_path)] = _site_path(maps.pages[old_id])
    for page, refs in page_refs:
        _point_references(page, refs, maps)
    _copy_restrictions(content.restrictions, maps)
    return column


def _copy_restrictions(restrictions, maps):
    """A private township page stays private: password, login or group restrictions come along.

    Groups are matched by name (every site has the standard groups); a group the county
    lacks is left out, which narrows who may see the page, never widens it.
    """
    for old_page, kind, password, group_names in restrictions:
        page = maps.pages.get(old_page)
        if page is None:
            continue
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password=password)
        if group_names:
            restriction.groups.set(Group.objects.filter(name__in=group_names))


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


class _Collections:
    """Where the township's images and documents go in the county: the root collection when theirs was open to
    everyone, else a collection of their own under the root with the same restrictions (made once each)."""

    def __init__(self, township, private):
        self.township, self.private, self.made = township, private, {}
        self.root = Collection.get_first_root_node()

    def for_item(self, old_collection_id):
        if old_collection_id not in self.private:
            return self.root
        if old_collection_id not in self.made:
            name, chain = self.private[old_collection_id]
            collection = self.root.add_child(name=f"{self.township.name}：{name}"[:255])
            for kind, password, group_names in chain:
                restriction = CollectionViewRestriction.objects.create(
                    collection=collection, restriction_type=kind, password=password)
                if group_names:  # matched by name, as pages' are (_copy_restrictions)
                    restriction.groups.set(Group.objects.filter(name__in=group_names))
            self.made[old_collection_id] = collection
        return self.made[old_collection_id]


def _copy_files(items, township, target_map, collections, fold, model, *, kind):
    """Copy image or document rows and files into the county; record each old file address's new one."""
    source_dir = Path(settings.MEDIA_ROOT) / township.schema_name
    for old_id, values, name, renditions, old_collection in items:
        source = source_dir / name
        if not source.is_file():
            fold.missing_files.append(name)
            continue
        new = model(**values, collection=collections.for_item(old_collection))
        with open(source, "rb") as handle:
            new.file.save(Path(name).name, File(handle), save=False)
        fold.written_files.append(new.file.path)
        new.save()
        target_map[old_id] = new
        if kind == "document":
            # Documents are served only by Wagtail's view (tenants.views.serve_media refuses them).
            new_url = f"/documents/{new.pk}/{Path(new.file.name).name}"
            fold.paths[f"/documents/{old_id}/{Path(name).name}"] = new_url
        else:
            new_url = settings.MEDIA_URL + new.file.name
        fold.paths[settings.MEDIA_URL + name] = new_url
        for rendition in renditions:
            fold.paths[settings.MEDIA_URL + rendition] = new_url  # renditions are remade on demand


def _copy_page(model, data, maps):
    """An unsaved copy of a page with its child rows; images and documents already point to the copies.

    Returns the page, its references to other pages (set once every page exists), and
    [(old id, child row)] of its child rows.
    """
    page = model.from_serializable_data(data, check_fks=False, strict_fks=False)
    page.pk = page.id = page.page_ptr_id = None
    page._state.adding = True  # a new row, whatever the loaded data said
    page.path = page.depth = page.url_path = None
    page.numchild = 0
    page.translation_key = uuid.uuid4()
    for name, value in _RESET_PAGE_FIELDS.items():
        setattr(page, name, value)
    if isinstance(page, ColumnPage):
        page.is_mandated = False  # the county's editors may reorganise the township's columns
    if isinstance(page, ArticlePage):
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
            elif issubclass(target, Image):
                setattr(obj, fk.attname, _pk(maps.images.get(old)))
            elif issubclass(target, Document):
                setattr(obj, fk.attname, _pk(maps.documents.get(old)))
            else:
                setattr(obj, fk.attname, None)  # users, revisions: rows of the township's own schema
    return page, page_refs, children


def _pk(obj):
    return obj.pk if obj is not None else None


def _child_objects(page):
    return [
        child
        for relation in get_all_child_relations(page)
        for child in getattr(page, relation.get_accessor_name()).all()
    ]


def _foreign_keys(obj):
    return [f for f in obj._meta.concrete_fields if f.is_relation and f.many_to_one]


def _point_references(page, refs, maps):
    """Second pass, once every copy exists: page foreign keys and rich-text references."""
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
