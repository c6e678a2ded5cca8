"""A tracking code on screen always means a stored application: the server is killed mid-submission.

As the mailbox's test (tests/interaction/test_durability.py): applicants keep applying, proof of
identity attached, from several threads to a real gunicorn, whose whole process group is killed with
SIGKILL while requests are in flight. Every code that reached an applicant must be in PostgreSQL.
"""

import http.client
import os
import re
import signal
import threading
import time
import uuid

import pytest

from tests import files
from tests.disclosure.helpers import PAGE, form_data
from tests.helpers import gunicorn_server, raw_connection
from tests.interaction.test_durability import CODE, Citizen

pytestmark = pytest.mark.slow

PROOF = files.pdf()


def multipart(fields, upload):
    """A browser's multipart/form-data body: the fields, then the proof of identity."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="proof"; filename="id.pdf"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + upload + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Applicant(Citizen):
    def apply(self, cookie, fields):
        body, content_type = multipart(fields, PROOF)
        conn = self._connect()
        try:
            conn.request("POST", PAGE, body=body, headers={"Host": self.host, "Cookie": cookie,
                                                           "Content-Type": content_type})
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()

    def _token(self):
        conn = self._connect()
        conn.request("GET", PAGE, headers={"Host": self.host})
        response = conn.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        conn.close()
        return cookie, token

    def run(self, stop):
        try:
            cookie, token = self._token()
        except OSError:
            self.refused += 1
            return
        n = 0
        while not stop.is_set():
            n += 1
            title = f"{self.name}-{n}"
            fields = {**form_data(info_title=title), "csrfmiddlewaretoken": token}
            try:
                _, html = self.apply(cookie, fields)
            except ConnectionRefusedError:
                self.refused += 1
                time.sleep(0.05)
                continue
            except (OSError, http.client.HTTPException):
                self.cut_off.append(title)
                continue
            match = CODE.search(html)
            assert match, f"a complete answer without a code: {html[:500]}"
            self.shown.append((title, match.group(1)))


def stored(schema):
    with raw_connection() as conn:
        rows = conn.execute(f'SELECT info_title, tracking_code FROM "{schema}".disclosure_application')  # noqa: S608
        return dict(rows.fetchall())


def clear(schema):
    with raw_connection() as conn:
        for table in ("disclosure_applicationfile", "disclosure_applicationevent", "disclosure_application"):
            conn.execute(f'DELETE FROM "{schema}".{table}')  # noqa: S608 (fixture schema name)


def test_every_code_an_applicant_saw_survives_killing_the_server(fixture_sites, tmp_path):
    county = fixture_sites["county"]
    clear(county.schema)
    try:
        for attempt in range(3):  # a kill between two requests proves nothing: try again
            with gunicorn_server(tmp_path / f"gunicorn-{attempt}.log", workers=2,
                                 INTERACTION_SUBMIT_RATE="100000/m") as server:
                stop = threading.Event()
                applicants = [Applicant(server.port, county.host, f"a{attempt}{i}") for i in range(4)]
                threads = [threading.Thread(target=a.run, args=(stop,)) for a in applicants]
                for thread in threads:
                    thread.start()
                time.sleep(2.0)
                os.killpg(server.pid, signal.SIGKILL)  # master and workers, no clean-up
                server.wait()
                time.sleep(0.5)
                stop.set()
                for thread in threads:
                    thread.join(timeout=30)
            shown = [pair for a in applicants for pair in a.shown]
            cut_off = [title for a in applicants for title in a.cut_off]
            rows = stored(county.schema)
            lost = [(title, code) for title, code in shown if rows.get(title) != code]
            assert not lost, f"codes shown but not stored: {lost}"
            assert shown, "no application completed before the kill"
            print(f"attempt {attempt}: {len(shown)} codes shown, {len(cut_off)} cut off, {len(rows)} stored")
            if cut_off:
                break
        assert cut_off, "three kills never hit a request in flight"
    finally:
        clear(county.schema)
