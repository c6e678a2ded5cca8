"""A tracking code on screen always means a stored message: the server is killed mid-submission.

Citizens keep submitting from several threads to a real gunicorn; the whole process
group (master and workers) is killed with SIGKILL while requests are in flight.
Afterwards every code that reached a citizen must be in PostgreSQL. Messages whose
answer was cut off may or may not be stored; both are allowed.
"""

import http.client
import os
import re
import signal
import threading
import time
import urllib.parse

import pytest

from tests.helpers import gunicorn_server, raw_connection

pytestmark = pytest.mark.slow

MAILBOX = "/hdjl/ldxx/"
CODE = re.compile(r'id="tracking-code">([0-9A-Z]+)<')


class Citizen:
    """One browser-like client: fetches the form (CSRF cookie and token), then keeps posting it."""

    form_path = MAILBOX

    def __init__(self, port, host, name):
        self.port, self.host, self.name = port, host, name
        self.shown = []  # (subject, code) the server answered with
        self.cut_off = []  # subjects whose request got no complete answer
        self.refused = 0  # connections refused after the kill

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def _token(self):
        conn = self._connect()
        conn.request("GET", self.form_path, headers={"Host": self.host})
        response = conn.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        conn.close()
        return cookie, token

    def fields(self, subject):
        return {"category": "enquiry", "subject": subject, "body": "压力测试留言内容，请忽略。",
                "phone": "028-12345678", "captcha_0": "k", "captcha_1": "PASSED"}

    def encode(self, fields):
        return urllib.parse.urlencode(fields), "application/x-www-form-urlencoded"

    def post(self, path, cookie, fields):
        """(status, html) of a form POST with the CSRF cookie and token a browser would send."""
        body, content_type = self.encode(fields)
        conn = self._connect()
        try:
            conn.request("POST", path, body=body, headers={
                "Host": self.host, "Cookie": cookie, "Content-Type": content_type,
            })
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()

    def run(self, stop):
        try:
            cookie, token = self._token()
        except OSError:
            self.refused += 1
            return
        n = 0
        while not stop.is_set():
            n += 1
            subject = f"{self.name}-{n}"
            try:
                _, html = self.post(self.form_path, cookie, {**self.fields(subject), "csrfmiddlewaretoken": token})
            except ConnectionRefusedError:
                self.refused += 1
                time.sleep(0.05)
                continue
            except (OSError, http.client.HTTPException):
                self.cut_off.append(subject)
                continue
            match = CODE.search(html)
            assert match, f"a complete answer without a code: {html[:500]}"
            self.shown.append((subject, match.group(1)))


def kill_mid_submission(site, tmp_path, client_class, stored):
    """Clients of `client_class` submit to a real gunicorn until its whole process group is killed;
    up to three times, until a kill cuts a request off. Fails if a code shown is not in `stored()`
    ({subject: code}); returns (codes shown, subjects cut off, what is stored)."""
    for attempt in range(3):  # a kill between two requests proves nothing: try again
        with gunicorn_server(tmp_path / f"gunicorn-{attempt}.log", workers=2,
                             INTERACTION_SUBMIT_RATE="100000/m") as server:
            stop = threading.Event()
            clients = [client_class(server.port, site.host, f"c{attempt}{i}") for i in range(4)]
            threads = [threading.Thread(target=c.run, args=(stop,)) for c in clients]
            for thread in threads:
                thread.start()
            time.sleep(2.0)
            os.killpg(server.pid, signal.SIGKILL)  # master and workers, no clean-up
            server.wait()
            time.sleep(0.5)
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        shown = [pair for c in clients for pair in c.shown]
        cut_off = [subject for c in clients for subject in c.cut_off]
        rows = stored()
        lost = [(subject, code) for subject, code in shown if rows.get(subject) != code]
        assert not lost, f"codes shown but not stored: {lost}"
        assert shown, "nothing was submitted before the kill"
        print(f"attempt {attempt}: {len(shown)} codes shown, {len(cut_off)} cut off, {len(rows)} stored")
        if cut_off:
            return shown, cut_off, rows
    raise AssertionError("three kills never hit a request in flight")


def stored_messages(schema):
    with raw_connection() as conn:
        rows = conn.execute(f'SELECT subject, tracking_code FROM "{schema}".interaction_message')  # noqa: S608
        return dict(rows.fetchall())


def clear_messages(schema):
    with raw_connection() as conn:
        conn.execute(f'DELETE FROM "{schema}".interaction_message')  # noqa: S608 (fixture schema name)


def test_every_code_a_citizen_saw_survives_killing_the_server(fixture_sites, tmp_path):
    county = fixture_sites["county"]
    clear_messages(county.schema)
    try:
        _shown, cut_off, stored = kill_mid_submission(county, tmp_path, Citizen,
                                                      lambda: stored_messages(county.schema))
        # What was cut off is either stored (committed before the kill) or absent; never half-stored.
        for subject in cut_off:
            assert subject not in stored or len(stored[subject]) == 14
    finally:
        clear_messages(county.schema)


class ErrorReporter(Citizen):
    """Sends 纠错 reports about the home page; what it is told is wrong names the report."""

    form_path = "/jiucuo/?url=/"

    def fields(self, subject):
        return {"url": "/", "body": f"{subject}：首页有错字", "captcha_0": "k", "captcha_1": "PASSED"}


def stored_error_reports(schema):
    with raw_connection() as conn:
        rows = conn.execute(
            f"SELECT body, tracking_code FROM \"{schema}\".interaction_message WHERE category = 'error_report'"  # noqa: S608
        )
        return {body.removesuffix("：首页有错字"): code for body, code in rows.fetchall()}


def test_every_code_an_error_reporter_saw_survives_killing_the_server(fixture_sites, tmp_path):
    county = fixture_sites["county"]
    clear_messages(county.schema)
    try:
        kill_mid_submission(county, tmp_path, ErrorReporter, lambda: stored_error_reports(county.schema))
    finally:
        clear_messages(county.schema)
