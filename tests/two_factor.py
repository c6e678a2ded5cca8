"""The tests' second factor: an account's authenticator app, its codes, and a session that has passed it.

Every console account and every site administrator must pass a second factor before any page
(tenants/two_factor.py). The code page itself is driven in tests/console/test_two_factor.py and
tests/tenants/test_site_two_factor.py; elsewhere `signed_in` and `mark_verified` give a test
client a session that has passed it, as the code page would have left it.
"""

import secrets

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name, schema_context
from psycopg import sql

from tests.helpers import raw_connection


def device_for(user, confirmed=True):
    """A new authenticator app for `user`, in the connection's schema."""
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=confirmed)


def code(device, steps_ahead=0):
    """The code the app shows now (or `steps_ahead` periods from now: a code is accepted once only)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def wrong_code(device):
    """A code no window of the device accepts now."""
    accepted = {code(device, steps) for steps in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in accepted)


def without_an_app(schema, username):
    """Remove `username`'s apps and recovery codes in `schema`, inside the test's transaction: browser
    tests leave committed apps on the fixture sites' administrators (fresh_code)."""
    with schema_context(schema):
        TOTPDevice.objects.filter(user__username=username).delete()
        StaticDevice.objects.filter(user__username=username).delete()


def mark_verified(client, user, schema=None):
    """The client's session (signed in as `user`) has passed the second factor, with `user`'s app
    (made if it has none) in `schema` (the connection's by default)."""
    schema = schema or get_public_schema_name()
    with schema_context(schema):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or device_for(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return device


def signed_in(user, host="localhost", schema=None, **client_kwargs):
    """A client signed in as `user` whose session has passed the second factor."""
    client = Client(HTTP_HOST=host, **client_kwargs)
    with schema_context(schema or get_public_schema_name()):
        client.force_login(user)
    mark_verified(client, user, schema)
    return client


def fresh_code(schema, username):
    """A new confirmed app for `username` in `schema`, committed (for a server in another process),
    and its code now. A new app has used no code yet, so each call gives one the server accepts."""
    key = secrets.token_hex(20)
    with raw_connection() as conn:
        table, users = sql.Identifier(schema, "otp_totp_totpdevice"), sql.Identifier(schema, "auth_user")
        user_id = conn.execute(sql.SQL("SELECT id FROM {} WHERE username = %s").format(users), [username]).fetchone()
        assert user_id, f"no account {username} in {schema}"
        conn.execute(sql.SQL("DELETE FROM {} WHERE user_id = %s").format(table), user_id)
        conn.execute(
            sql.SQL("INSERT INTO {} (user_id, name, confirmed, key, step, t0, digits, tolerance, drift, last_t, "
                    "throttling_failure_timestamp, throttling_failure_count, created_at, last_used_at) "
                    "VALUES (%s, '手机', true, %s, 30, 0, 6, 1, 0, -1, NULL, 0, now(), NULL)").format(table),
            [user_id[0], key],
        )
    return f"{totp(bytes.fromhex(key)):06d}"


def schema_of_host(host):
    """The schema of the site served at `host` (committed data: read outside the test transaction)."""
    with raw_connection() as conn:
        row = conn.execute("SELECT s.schema_name FROM tenants_domain d JOIN tenants_govsite s ON s.id = d.tenant_id "
                           "WHERE d.domain = %s", [host.split(":")[0]]).fetchone()
    assert row, f"no site at {host}"
    return row[0]
