"""The bench settings for the mailbox benchmark: captcha answers accepted, no rate limit.

What the issue asks to measure: messages accepted per second with captcha validation
disabled by a test setting. Everything else (CSRF, form validation, sanitising, the
committed INSERT, the rate-limit counter in the cache) runs as in production.
"""

from bench_settings import *  # noqa: F403

CAPTCHA_TEST_MODE = True
# Counted as in production, but never reached: wrk comes from one address.
INTERACTION_SUBMIT_RATE = "100000000/m"
