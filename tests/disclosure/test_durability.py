"""A tracking code on screen always means a stored application: the server is killed mid-submission.

As the mailbox's test (tests/interaction/test_durability.py, whose clients and kill loop it reuses):
applicants keep applying, proof of identity attached, from several threads to a real gunicorn, whose
whole process group is killed with SIGKILL while requests are in flight. Every code that reached an
applicant must be in PostgreSQL.
"""

import uuid

import pytest

from tests import files
from tests.disclosure.helpers import PAGE, form_data
from tests.helpers import raw_connection
from tests.interaction.test_durability import Citizen, kill_mid_submission

pytestmark = pytest.mark.slow

PROOF = files.pdf()


class Applicant(Citizen):
    form_path = PAGE

    def fields(self, subject):
        return form_data(info_title=subject)

    def encode(self, fields):
        """A browser's multipart/form-data body: the fields, then the proof of identity."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="proof"; filename="id.pdf"\r\n'
                     "Content-Type: application/pdf\r\n\r\n".encode() + PROOF + b"\r\n")
        return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


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
        kill_mid_submission(county, tmp_path, Applicant, lambda: stored(county.schema))
    finally:
        clear(county.schema)
