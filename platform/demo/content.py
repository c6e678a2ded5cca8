"""Each app's demo content for one site, added only where the site has none of that kind yet."""

import random

from django.utils import timezone

from columns.demo import add_demo_articles, add_demo_disclosure_catalogue
from columns.models import ArticlePage
from disclosure.demo import add_demo_applications
from disclosure.models import Application
from interaction.demo import add_demo_consultations, add_demo_messages
from interaction.models import ConsultationPage, Message
from policies.demo import add_demo_policies
from policies.models import PolicyDocumentPage
from reports.actions import generate_disclosure_report
from reports.models import DisclosureReportPage
from search import index
from search.models import SearchEntry
from services.demo import add_demo_services
from services.models import ServiceGuidePage
from tenants.models import SiteLevel
from tenants.provisioning.template import apply_site_standard


def add_missing_demo_content(site):
    """Demo articles, policies, service guides, mailbox messages, consultations and applications for disclosure,
    each only if the site has none.

    So an interrupted `make run` completes the content on the next run instead of starting over.
    Runs in the site's schema.
    """
    # Sites made before the standard gained a column (a dev database kept across upgrades) get it here.
    apply_site_standard()
    # Content made before search existed (a dev database kept across upgrades) is indexed here once.
    if not SearchEntry.objects.exists():
        index.rebuild(site)
    for model, add in ((ArticlePage, add_demo_articles), (PolicyDocumentPage, add_demo_policies),
                       (ServiceGuidePage, add_demo_services), (Message, add_demo_messages),
                       (ConsultationPage, add_demo_consultations), (Application, add_demo_applications)):
        if not model.objects.exists():
            add(site)
    add_demo_disclosure_catalogue(site)
    if site.level != SiteLevel.TOWNSHIP:
        add_demo_disclosure_report(site)


def add_demo_disclosure_report(site):
    """Last year's 政府信息公开工作年度报告, counted, completed with plausible entered figures and published,
    so the 信息公开 column and the gatherings above show one (townships are left to show a missing one)."""
    year = timezone.localdate().year - 1
    if DisclosureReportPage.objects.filter(year=year).exists():
        return
    draft = generate_disclosure_report(site, year).page.get_latest_revision_as_object()
    rng = random.Random(site.region_code)  # noqa: S311 (a stable look per demo site, not security)
    draft.figures = {**draft.figures, "licensing": rng.randint(200, 3000), "penalty": rng.randint(10, 300),
                     "enforcement": rng.randint(0, 30), "fees": 0}
    draft.problems = ("<p>一是政策解读的形式还不够丰富；二是依申请公开答复的规范性有待进一步提高。下一步，"
                      "将加强业务培训，完善答复文书范本。</p>")
    draft.other_matters = "<p>本年度未收取信息处理费。</p>"
    draft.save_revision().publish()
