"""Alerts before the line: e-mail a site's people when an indicator is within the margin of a veto, or fired.

Recipients: the site's active accounts that have an e-mail address (its editors and its
administrator, read in its schema), one mail per site and condition per day at most
(AlertSent); a mail that cannot be sent is logged and tried again at the next run. The
platform administrators (the responsible admins) get one digest per run listing what was
newly alerted, not one mail per site: a province has thousands of sites. Editors also see every
warning on their admin dashboard and as a message at the top of the admin
(monitoring.middleware).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants import staff_roles

from .models import AlertSent

logger = logging.getLogger(__name__)


def site_addresses(site):
    """The e-mail addresses of `site`'s active accounts (read in its schema)."""
    with schema_context(site.schema_name):
        return set(get_user_model().objects.filter(is_active=True).exclude(email="").values_list("email", flat=True))


def _admin_addresses():
    return set(
        get_user_model().objects.filter(is_active=True, groups__name=staff_roles.SYSTEM)
        .exclude(email="").values_list("email", flat=True)
    )


def _message(site, indicator):
    state = "已触发单项否决" if indicator["vetoed"] else f"还剩 {indicator['days_left']} 天将触发单项否决"
    value = "无" if indicator["value"] is None else f"{indicator['value']} {indicator['unit']}"
    lines = [
        f"{site.display_name}网站（{site.base_url() or site.region_code}）的监测指标“{indicator['label']}”{state}。",
        "",
        f"当前：{value}；阈值：{indicator['threshold']}。",
    ]
    if indicator.get("note"):
        lines.append(indicator["note"])
    if indicator["detail"]:
        lines += ["", "需要处理的内容："]
        for item in indicator["detail"][:20]:
            where = item.get("admin_url") or item.get("url") or ""
            lines.append(f"- {item['title']}：{item['note']}{'  ' + where if where else ''}")
    lines += ["", "请登录网站后台处理。本提醒同一事项每天最多发送一次。"]
    subject = f"【网站监测】{site.name}：{indicator['label']}{'已触发否决' if indicator['vetoed'] else '临近否决'}"
    return subject, "\n".join(lines)


def send_alerts(site, health, now=None):
    """Mail each vetoed or warning indicator of `health` not yet mailed today; returns those indicators."""
    today = timezone.localdate(now or timezone.now())
    due = [i for i in health.indicators if i["vetoed"] or i["warning"]]
    if not due:
        return []
    already = set(AlertSent.objects.filter(site=site, day=today).values_list("key", flat=True))
    due = [i for i in due if i["key"] not in already]
    if not due:
        return []
    recipients = sorted(site_addresses(site))
    sent = []
    for indicator in due:
        try:
            with transaction.atomic():
                AlertSent.objects.create(site=site, key=indicator["key"], day=today, vetoed=indicator["vetoed"],
                                         recipients=len(recipients))
                if recipients:
                    subject, body = _message(site, indicator)
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except IntegrityError:
            continue  # another run sent it meanwhile
        except Exception:
            logger.exception("alert for %s %s not sent; the next run tries again", site, indicator["key"])
            continue
        sent.append(indicator)
    return sent


def send_digest(alerted):
    """One mail to the platform administrators: [(site, indicator)] newly alerted in this run."""
    recipients = sorted(_admin_addresses())
    if not alerted or not recipients:
        return False
    vetoed = sum(1 for _site, i in alerted if i["vetoed"])
    lines = [f"本次监测新发出 {len(alerted)} 条预警（{vetoed} 条已触发否决，{len(alerted) - vetoed} 条临近否决）：", ""]
    for site, indicator in alerted:
        state = "已否决" if indicator["vetoed"] else f"还剩 {indicator['days_left']} 天"
        lines.append(f"- {site.name}（{site.region_code}）：{indicator['label']}，{state}")
    lines += ["", "详见平台控制台“网站监测”。"]
    try:
        send_mail(f"【网站监测】{len(alerted)} 条新预警", "\n".join(lines), settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("the administrators' alert digest was not sent")
        return False
    return True
