"""Ending an account's sessions at once (disabled, password reset, two-factor device removed)."""

from django.contrib.sessions.models import Session


def end_sessions(user):
    """Delete the sessions of the current schema signed in as `user`; returns how many.

    Sessions store the user id inside their signed data, so each is decoded: fine for the
    few thousand live sessions a site or the console has.
    """
    key = str(user.pk)
    doomed = [s.session_key for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == key]
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)
