"""The worker process: woken by the NOTIFY a distribution sends on commit, it delivers within moments.

Committed data (no test transaction): a county and a township under it, made for this
test and dropped after it.
"""

import subprocess
import sys
import time

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from columns.models import ArticlePage
from library.models import Delivery
from syndication import actions
from syndication.models import ReprintPage
from tenants import actions as site_actions
from tenants.models import GovSite
from tests.factories import ArticleFactory
from tests.helpers import ROOT, drop_committed_site, test_env

COUNTY, TOWNSHIP, TOWNSHIP_2 = "510117", "510117001", "510117002"
CODES = (TOWNSHIP_2, TOWNSHIP, COUNTY)  # children first: that is the order they can be dropped in


@pytest.fixture
def pair(committed_db):
    for code in CODES:
        drop_committed_site(code)  # what an interrupted earlier run may have left
    city = GovSite.objects.get(region_code="510100")
    county = site_actions.provision_site(
        name="郫都区", level="county", parent=city, region_code=COUNTY, site_code=f"{COUNTY}0001",
        acting_user=None, source="tests").site
    township = site_actions.provision_site(
        name="犀浦街道", level="township", parent=county, region_code=TOWNSHIP, site_code="5101171001",
        acting_user=None, source="tests").site
    second = site_actions.provision_site(
        name="犀浦二街道", level="township", parent=county, region_code=TOWNSHIP_2, site_code="5101171002",
        acting_user=None, source="tests").site
    yield county, township, second
    for code in CODES:
        drop_committed_site(code)


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def copy_state(township, distribution_id):
    with schema_context(township.schema_name):
        page = ReprintPage.objects.filter(distribution_id=distribution_id).first()
        return None if page is None else page.live


def test_the_worker_delivers_on_notify_and_withdraws(pair, tmp_path):
    county, township, second = pair
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "syndication_worker"], cwd=ROOT,
        env={**test_env(), "SYNDICATION_POLL_SECONDS": "600"},  # only a NOTIFY can wake it in time
        stdout=subprocess.PIPE, stderr=(tmp_path / "worker.log").open("w"), text=True,
    )
    try:
        assert "已启动" in worker.stdout.readline()
        with schema_context(county.schema_name):
            page = ArticleFactory(title="郫都区防汛工作部署", slug="fx", body="<p>各街道做好准备。</p>")
            editor = get_user_model().objects.get(username="admin")
            distribution = actions.distribute_page(page, county, levels=["township"], root=county,
                                                   acting_user=editor)
        # Two sites behind: the worker catches them up on two threads (SYNDICATION_WORKER_THREADS).
        for site in (township, second):
            assert wait_for(lambda site=site: copy_state(site, distribution.pk) is True), f"not delivered to {site}"
        for delivery in Delivery.objects.filter(distribution=distribution):
            assert delivery.state == Delivery.State.ACCEPTED and delivery.applied_revision == distribution.revision
        with schema_context(county.schema_name):
            ArticlePage.objects.get(pk=page.pk).unpublish()
        for site in (township, second):
            assert wait_for(lambda site=site: copy_state(site, distribution.pk) is False), f"not withdrawn on {site}"
    finally:
        worker.terminate()
        output = worker.communicate(timeout=10)[0]
    assert "犀浦街道（510117001）：送达 1 条" in output and "犀浦二街道（510117002）：送达 1 条" in output
