"""Each settings module works as its environment needs: dev serves pages, production fails closed."""

import os
import subprocess
import sys

from tests.helpers import ROOT, test_env

RENDER_HOME = (
    "from django.test import Client; "
    "r = Client(HTTP_HOST='jinjiang.chengdu.localhost:8000').get('/'); "
    "print(r.status_code, '锦江区人民政府' in r.content.decode())"
)


def manage(settings_module, *args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**(env or test_env()), "DJANGO_SETTINGS_MODULE": settings_module},
    )


def test_dev_settings_serve_a_site_page(fixture_sites, db):
    """`make run` uses these settings; a page with the theme's static files must render (it once gave 500)."""
    result = manage("config.settings.dev", "shell", "-c", RENDER_HOME)
    assert result.stdout.strip().splitlines()[-1] == "200 True", result.stderr[-2000:]


def test_production_refuses_to_start_without_its_secrets():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "PGPASSWORD", "REDIS_URL")}
    result = manage("config.settings.production", "check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in the environment" in result.stderr


def test_production_deploy_check_is_clean():
    env = {
        **test_env(),
        "DJANGO_SECRET_KEY": "a" * 20 + "-production-like-secret-key-with-enough-entropy-0123456789",
        "PGPASSWORD": "unused",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "PLATFORM_CONSOLE_HOSTS": "console.sc.gov.cn",
        "PLATFORM_DOMAIN_SUFFIX": "sc.gov.cn",
        "WAGTAILADMIN_BASE_URL": "https://console.sc.gov.cn",
    }
    result = manage("config.settings.production", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    # Notes (INFO) may appear, e.g. interaction.I001 near the year end; nothing worse may.
    assert "WARNINGS:" not in result.stdout + result.stderr and "ERRORS:" not in result.stdout + result.stderr
    assert "CAPTCHA_TEST_MODE" not in result.stdout + result.stderr, "production must check captchas"
