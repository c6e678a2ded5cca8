"""A site's host names: add one, make one primary (the others answer 301 to it), remove one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import schema_context
from wagtail.models import Site

from .. import audit
from ..models import AuditAction, Domain, hostname_validator
from .base import SiteActionError, require_public_schema, routing_changed


def normalise_host(value):
    host = (value or "").strip().lower().rstrip(".")
    try:
        hostname_validator(host)
    except ValidationError as exc:
        raise SiteActionError({"domain": [f"“{value}”：{exc.messages[0]}"]}) from exc
    if host in settings.PLATFORM_CONSOLE_HOSTS:
        raise SiteActionError({"domain": [f"“{host}”是平台管理控制台的域名，不能分配给站点"]})
    return host


def domain_taken(host):
    return Domain.objects.filter(domain=host).exists()


def checked_new_hosts(domains):
    """A new site's host names, normalised; SiteActionError if one is malformed, repeated or taken."""
    hosts = [normalise_host(d) for d in (domains or []) if d and d.strip()]
    if len(set(hosts)) != len(hosts):
        raise SiteActionError({"domain": ["同一域名填写了两次"]})
    for host in hosts:
        if domain_taken(host):
            raise SiteActionError({"domain": [f"域名 {host} 已被其他站点使用"]})
    return hosts


def add_domain(site, host, *, acting_user, source="", make_primary=False):
    """Add a host name to a site; aliases redirect to the primary one."""
    require_public_schema()
    host = normalise_host(host)
    with transaction.atomic():
        if domain_taken(host):
            raise SiteActionError({"domain": [f"域名 {host} 已被使用"]})
        domain = Domain.objects.create(domain=host, tenant=site, is_primary=False)
        audit.record(AuditAction.ADD_DOMAIN, acting_user=acting_user, site=site, source=source, domain=host)
        if make_primary:
            _set_primary(site, domain, acting_user=acting_user, source=source)
        routing_changed(site)
    return domain


def set_primary_domain(site, host, *, acting_user, source=""):
    require_public_schema()
    with transaction.atomic():
        domain = Domain.objects.select_for_update().filter(tenant=site, domain=host).first()
        if domain is None:
            raise SiteActionError({"domain": [f"域名 {host} 不属于站点“{site.name}”"]})
        _set_primary(site, domain, acting_user=acting_user, source=source)
        routing_changed(site)
    return domain


def _set_primary(site, domain, *, acting_user, source):
    Domain.objects.filter(tenant=site, is_primary=True).update(is_primary=False)
    Domain.objects.filter(pk=domain.pk).update(is_primary=True)
    with schema_context(site.schema_name):
        # Wagtail builds absolute links from its Site's hostname.
        Site.objects.update(hostname=domain.domain)
    audit.record(AuditAction.SET_PRIMARY_DOMAIN, acting_user=acting_user, site=site, source=source,
                 domain=domain.domain)


def remove_domain(site, host, *, acting_user, source=""):
    require_public_schema()
    with transaction.atomic():
        domain = Domain.objects.select_for_update().filter(tenant=site, domain=host).first()
        if domain is None:
            raise SiteActionError({"domain": [f"域名 {host} 不属于站点“{site.name}”"]})
        if domain.is_primary:
            raise SiteActionError({"domain": ["不能删除主域名：请先把另一个域名设为主域名"]})
        domain.delete()
        audit.record(AuditAction.REMOVE_DOMAIN, acting_user=acting_user, site=site, source=source, domain=host)
        routing_changed(site, also=[host])
