"""Messages survive a PostgreSQL restart between submissions, and the platform reconnects by itself.

The test runs its own PostgreSQL cluster (initdb in a temporary folder, on a free
port) so it can restart it without disturbing the shared server other test runs
use: it migrates it, provisions one site through the CLI, serves it with gunicorn,
submits a message, restarts PostgreSQL (`pg_ctl restart -m fast`), submits another,
and looks both up.
"""

import re

import pytest

from tests.helpers import gunicorn_server, private_site
from tests.interaction.test_durability import Citizen

pytestmark = pytest.mark.slow


def lookup(port, host, code, password):
    citizen = Citizen(port, host, "lookup")
    cookie, token = citizen._token()
    fields = {"csrfmiddlewaretoken": token, "tracking_code": code, "password": password}
    return citizen.post("/hdjl/ldxx/query/", cookie, fields)


def submit(port, host, subject):
    citizen = Citizen(port, host, "restart")
    cookie, token = citizen._token()
    status, html = citizen.post("/hdjl/ldxx/", cookie, {
        "csrfmiddlewaretoken": token, "category": "enquiry", "subject": subject,
        "body": "重启数据库前后各提交一封。", "phone": "028-12345678", "captcha_0": "k", "captcha_1": "PASSED",
    })
    assert status == 200, html[:2000]
    code = re.search(r'id="tracking-code">([0-9A-Z]+)<', html).group(1)
    password = re.search(r'id="query-password">([0-9A-Z]+)<', html).group(1)
    return code, password


def test_messages_survive_a_postgres_restart_between_submissions(private_postgres, tmp_path):
    host, server_env = private_site(private_postgres, "restart_test", "restart.localhost")
    with gunicorn_server(tmp_path / "gunicorn.log", workers=1, **server_env) as server:
        first = submit(server.port, host, "重启前的留言")
        private_postgres.pg_ctl("restart", "-m", "fast")
        second = submit(server.port, host, "重启后的留言")
        for (code, password), subject in ((first, "重启前的留言"), (second, "重启后的留言")):
            status, html = lookup(server.port, host, code, password)
            assert status == 200 and subject in html
