"""Each app's demo content for one site, added only where the site has none of that kind yet."""

from columns.demo import add_demo_articles
from columns.models import ArticlePage
from disclosure.demo import add_demo_applications
from disclosure.models import Application
from interaction.demo import add_demo_consultations, add_demo_messages
from interaction.models import ConsultationPage, Message
from policies.demo import add_demo_policies
from policies.models import PolicyDocumentPage
from search import index
from search.models import SearchEntry
from services.demo import add_demo_services
from services.models import ServiceGuidePage
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
