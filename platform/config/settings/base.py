"""Settings shared by every environment.

The platform is one Django project serving many sites: the public schema holds the
site registry and the platform console, each site's own schema holds its Wagtail
content and its own users. See docs/architecture.md for the reasoning behind the
split of SHARED_APPS and TENANT_APPS.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

# platform/config/settings/base.py -> repository root
BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("GOVSITES_VAR_DIR", BASE_DIR / "var"))


def env(name, default=None):
    return os.environ.get(name, default)


# ---------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------

# Apps whose tables live in the public schema: the registry, the console and the
# platform staff accounts. contenttypes/auth/sessions appear in both lists on
# purpose: platform staff live in public, site editors live in their site schema.
SHARED_APPS = [
    "tenants",  # before django_tenants: our migrate_schemas (with the no-op fast path) wins
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Content-Security-Policy (its middleware is subclassed by edge.security).
    "csp",
    "themes",
    # The central resource library: one row per published item of every site (public schema).
    "library",
    # Edge cache headers and purges; failed purges wait for a retry in the public schema.
    "edge",
    # The province's 错敏词 lists and the check before publishing (public schema; every site reads them).
    "wording",
    # Inspection indicators of every site, precomputed for the provincial dashboard (public schema).
    "monitoring",
    # Page views counted without cookies: counters per site, page and day (public schema).
    "analytics",
    # Login lockout for platform staff (the console).
    "axes",
    # The last passwords of each console account, salted and hashed, so none is used again (tenants/passwords.py).
    "django_password_validators.password_history",
    # Two-factor login (TOTP and one-time recovery codes), required of platform staff (tenants/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background jobs (backup, restore, fold, delete): django-tasks' API, its queue a table of the public
    # schema; `manage.py db_worker` runs them (deploy/systemd/govsites-jobs.service, tenants/jobs.py).
    "django_tasks",
    "django_tasks_db",
    # The provincial console (public schema; no models): the top floor over every app above.
    "console",
    # The demo province of `make run` (setup_demo): fills every app, imported by none.
    "demo",
]

# Apps whose tables are created in every site schema (and in the template schema
# that new sites are cloned from).
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "columns",
    "policies",
    "services",
    "interaction",
    # 依申请公开: each site's applications for disclosure, their legal clock and answers.
    "disclosure",
    # 政府网站工作年度报表: each site's report page; published figures go to library.PublishedReport (public).
    "reports",
    # Chinese search: each site's own index (jieba-segmented, PostgreSQL full text).
    "search",
    # Items pushed down the hierarchy: each site's 转载 pages and receiving setting (the content
    # itself is stored once, in the public library).
    "syndication",
    # Mailbox captcha: its challenges are rows of each site's schema.
    "captcha",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Login lockout for the site's editors: attempts are counted in the site's own schema, so
    # "admin" locked out on one site is not locked out on another.
    "axes",
    # The last passwords of each of the site's accounts, salted and hashed (tenants/passwords.py).
    "django_password_validators.password_history",
    # Two-factor login of the site's accounts: required of its administrators, a choice for its editors.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.GovSite"
TENANT_DOMAIN_MODEL = "tenants.Domain"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

# Issue `SET search_path` once per connection and tenant switch instead of on every
# cursor: django-tenants' default costs one extra query per cursor (see the bench).
TENANT_LIMIT_SET_CALLS = True

# ---------------------------------------------------------------------------
# Request handling
# ---------------------------------------------------------------------------

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (edge/security.py).
    "edge.security.SecurityHeadersMiddleware",
    # Static files are the same for every site: served before any site lookup.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Picks the site from the Host header (or the console), answers unknown hosts
    # with 404, aliases with 301, suspended sites with 503. Must run before anything
    # that touches the database.
    "tenants.middleware.SiteRoutingMiddleware",
    # The console and sites' /admin/ only from ADMIN_ALLOWED_NETWORKS, when set (tenants/sessions.py).
    "tenants.sessions.AdminReachMiddleware",
    # Marks a site's anonymous pages cacheable at the edge and everything else private.
    # Here, so that it sees the response after sessions, CSRF and messages have had their say.
    "edge.headers.EdgeCacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: public pages are Chinese for everyone, and its
    # `Vary: Accept-Language` would split every edge-cache entry by browser language.
    # The Wagtail admin still follows each editor's own language preference.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed its second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signed-in sessions end after 30 idle minutes and 8 hours after login (tenants/sessions.py).
    "tenants.sessions.SessionTimeoutMiddleware",
    # A signed-in session enters its code, or sets up its required second factor, before anything else.
    "tenants.two_factor.TwoFactorMiddleware",
    # An account whose password the console issued must choose its own before anything else.
    "tenants.sessions.PasswordChangeMiddleware",
    # Editors see their site's vetoes and near-vetoes at the top of the admin, once a day.
    "monitoring.middleware.SiteHealthNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's RedirectMiddleware, skipped in the console (no Wagtail tables in public).
    "tenants.middleware.SiteRedirectMiddleware",
    # Answers a locked-out login with the lockout page (django-axes); last, as its docs require.
    "axes.middleware.AxesMiddleware",
]

# Site hosts: every site's own urls; the console hosts get PUBLIC_SCHEMA_URLCONF.
ROOT_URLCONF = "config.urls_site"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"

# The registry of Domain rows is the host allow-list: an unknown host gets the
# platform's 404 page from SiteRoutingMiddleware, a malformed one a 400. Django's
# own check would answer both with a bare 400 before we could explain anything.
ALLOWED_HOSTS = ["*"]

# Host names of the platform console (public schema). Everything else must be a
# registered site domain.
PLATFORM_CONSOLE_HOSTS = [h.strip() for h in env("PLATFORM_CONSOLE_HOSTS", "localhost").split(",") if h.strip()]
# Suffix appended to generated site host names: chengdu + SUFFIX. Production sets a
# real government domain (e.g. "sc.gov.cn").
PLATFORM_DOMAIN_SUFFIX = env("PLATFORM_DOMAIN_SUFFIX", "localhost")
# Port shown in generated site URLs (Wagtail Site.port); 80 in production behind nginx.
PLATFORM_SITE_PORT = int(env("PLATFORM_SITE_PORT", "80"))
PLATFORM_SITE_SCHEME = env("PLATFORM_SITE_SCHEME", "http")
# How often a worker checks the registry's route generation (tenants/routing.py); its
# host -> site look-ups are kept until that moves. Actions clear their own process's
# cache at once; other workers see a change (suspend, new domain) within this many seconds.
TENANT_ROUTE_CACHE_SECONDS = float(env("TENANT_ROUTE_CACHE_SECONDS", "5"))

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                # The console's role checks (lazy: site pages never evaluate them).
                "console.context.staff_role",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------

DATABASES = {
    "default": {
        # django-tenants' backend plus a content-type cache that survives switches
        # between sites (see tenants/db/base.py and tests/tenants/test_contenttypes.py).
        "ENGINE": "tenants.db",
        "NAME": env("PGDATABASE", "govsites"),
        "USER": env("PGUSER", "postgres"),
        "PASSWORD": env("PGPASSWORD", ""),
        "HOST": env("PGHOST", "127.0.0.1"),
        "PORT": env("PGPORT", "5432"),
        # Keep connections across requests: CONN_MAX_AGE=0 opens one per request,
        # which costs more than the page render itself. An hour, not minutes: a new
        # backend loads each site's catalog entries on its first request there, which is
        # slower than the next one, and then holds them; replaced every few minutes, a
        # backend serving the whole province kept reloading them (bench/README.md, "3,000
        # sites"; deploy/README.md, "Memory per site").
        "CONN_MAX_AGE": int(env("PG_CONN_MAX_AGE", "3600")),
        "CONN_HEALTH_CHECKS": True,
        # No JIT: compiling a plan that touches many rows (a common word searched over the
        # province's library) cost more than it saved (bench/README.md, search); the
        # platform's queries are short and many.
        "OPTIONS": {"options": "-c jit=off"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Cache: every alias keys by schema, so one site's cached entries (including
# Wagtail's site-root-paths cache) are never served to another. A system check
# (tenants.checks) refuses a cache alias without this key function.
# ---------------------------------------------------------------------------

TENANT_CACHE_KEY_FUNCTION = "django_tenants.cache.make_key"
# Redis, where the environment uses it (production, tests): a cache call never waits long on a
# Redis that is gone (the cache then degrades to a miss, tenants/cache.py).
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": TENANT_CACHE_KEY_FUNCTION,
        # Every site keeps entries of its own (Wagtail's site root paths, settings...): Django's
        # default of 300 entries made a round robin over 3,000 sites miss on every request.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# ---------------------------------------------------------------------------
# Security headers (edge/security.py)
# ---------------------------------------------------------------------------

# The theme's one inline script (themes/templates/themes/base.html: 长者模式 before the first paint),
# by its hash; tests/edge/test_security_headers.py fails when the script changes without it.
THEME_INLINE_SCRIPT_HASH = "'sha256-tgA4+rpFzK1MgDA3DbQj6PnKVl7v5KTTS9jMEgs7XJ0='"
_CSP_COMMON = {
    "default-src": ["'self'"],
    # Inline styles: each site's colour scheme is a <style> block, charts size themselves inline.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**_CSP_COMMON, "script-src": ["'self'", THEME_INLINE_SCRIPT_HASH]},
}
# Wagtail's admin inlines scripts of its own (its editor, its telepath data): allowed there only.
CSP_ADMIN_DIRECTIVES = {**_CSP_COMMON, "script-src": ["'self'", "'unsafe-inline'"], "frame-ancestors": ["'self'"]}
# Powerful browser features no government page uses (read-aloud is speech synthesis: no permission).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"
)

# ---------------------------------------------------------------------------
# Auth
# ---------------------------------------------------------------------------

# Every password anyone chooses, in the console and in every site's admin (tenants/passwords.py; 等保:
# complex, not reused). Passwords the console issues are random and changed at first login.
PASSWORD_HISTORY = int(env("PASSWORD_HISTORY", "5"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tenants.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tenants.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "tenants.passwords.ChineseCommonPasswordValidator"},
    {"NAME": "tenants.passwords.PasswordHistoryValidator", "OPTIONS": {"last_passwords": PASSWORD_HISTORY}},
]
LOGIN_URL = "console:login"

# Logins to the console and every site's admin (tenants/logins.py; 等保: lockout after failed logins).
# An account is locked for 15 minutes after five wrong passwords from any addresses (django-axes; its
# counters are rows of the schema logged in to), so a spray from many addresses stops there; its
# owner and site administrators are e-mailed, and the console can lift it early.
AUTHENTICATION_BACKENDS = ["tenants.logins.LoginGuardBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Attempts while locked are refused unread, neither counted nor prolonging the lock: an attacker
# cannot keep an editor out longer by hammering, and an address over its budget (below) never adds
# to an account's count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# axes warns when its lock is not also keyed by address: the address budget is tenants.logins' own
# (LOGIN_FAILURES_PER_ADDRESS, below), counted across every site, which axes' per-schema rows cannot do.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# One address's failed logins at any accounts of any sites, counted in the audit trail: at this
# many within the window, every login from it gets the lockout page until the window moves on.
# Generous, because a county's whole government network may reach the platform through one NAT address.
LOGIN_FAILURES_PER_ADDRESS = int(env("LOGIN_FAILURES_PER_ADDRESS", "30"))
LOGIN_FAILURE_WINDOW = timedelta(hours=1)
# Networks the console and every site's /admin/ answer to, comma-separated CIDRs (e.g. the province's
# e-government network, "10.0.0.0/8,2001:db8::/32"); empty: any address. Public pages answer everyone.
ADMIN_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network.strip()) for network in env("ADMIN_ALLOWED_NETWORKS", "").split(",") if network.strip()
]
# The visitor's address as the rest of the platform sees it (X-Real-IP behind nginx).
AXES_CLIENT_IP_CALLABLE = "tenants.audit.client_address"
AXES_LOCKOUT_CALLABLE = "tenants.views.login_locked_out"
# Signed-in sessions (editors and console staff) end after SESSION_IDLE_TIMEOUT without a request,
# a working day after their login whatever happens, and when the browser closes (tenants/sessions.py).
SESSION_IDLE_TIMEOUT = timedelta(minutes=int(env("SESSION_IDLE_MINUTES", "30")))
SESSION_ABSOLUTE_AGE = timedelta(hours=8)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_AGE.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_REDIRECT_URL = "console:sites"


def _totp_issuer(device):
    """The name an authenticator app lists the account under: the console's, or its own site's (every
    site's first account is "admin", and one person may hold several)."""
    from tenants.two_factor import issuer

    return issuer(device)


# Two-factor login (tenants/two_factor.py): the name authenticator apps show for the account, and
# django-otp's throttle after a wrong code (waits of 1, 2, 4, 8... seconds, times this factor).
OTP_TOTP_ISSUER = _totp_issuer
OTP_TOTP_THROTTLE_FACTOR = 1
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"

# ---------------------------------------------------------------------------
# Language and time: the platform speaks Chinese by default.
# ---------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# ---------------------------------------------------------------------------
# Static and media
# ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    # Files of each site live under MEDIA_ROOT/<schema>/ but are addressed as
    # /media/<path> on the site's own host, so one site's file URL means nothing
    # on another site's host.
    "default": {"BACKEND": "tenants.storage.SiteMediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
# Production hands media to nginx with X-Accel-Redirect under this internal prefix.
MEDIA_ACCEL_REDIRECT_PREFIX = env("MEDIA_ACCEL_REDIRECT_PREFIX", "")
# Wagtail's document view sends the bytes through this backend once its checks have passed:
# nginx's X-Accel-Redirect in production, Django's streaming when the prefix above is empty.
SENDFILE_BACKEND = "tenants.sendfile"
# Every document is downloaded, none opened inside the site's origin (Wagtail opens PDFs inline by
# default; a PDF can carry script, and the site's cookies live on that origin).
WAGTAILDOCS_INLINE_CONTENT_TYPES = []

# Mailbox attachments: per site like media, but under no URL (interaction/storage.py).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))

# Per-site backups (tenants/backups.py): one tar file per backup under <root>/<schema>/.
# Keep it on another disk than the database and media in production, and copy it off the machine.
SITE_BACKUP_ROOT = Path(env("SITE_BACKUP_ROOT", VAR_DIR / "backups"))
# The public schema's nightly dump (tenants/platform_backup.py; `backup_platform`): where, how many
# kept, and the operator's command that copies each off the machine, "{file}" standing for the
# dump, e.g. "rsync -a {file} backup-host:/backups/govsites/public/". Unset: the copy is not made,
# and the command says so.
PLATFORM_BACKUP_ROOT = Path(env("PLATFORM_BACKUP_ROOT", SITE_BACKUP_ROOT / "public"))
PLATFORM_BACKUP_KEEP = int(env("PLATFORM_BACKUP_KEEP", "14"))
PLATFORM_BACKUP_COPY = env("PLATFORM_BACKUP_COPY", "")
# The audit trail is kept this many days (tenants/audit_chain.py; 等保: at least six months, so
# anything below 180 counts as 180), then pruned by `prune_audit`.
AUDIT_RETENTION_DAYS = int(env("AUDIT_RETENTION_DAYS", "365"))
# An account without a login for this many days is listed as stale on the console's 安全 page (等保: idle accounts
# found and disabled); 90, the assessors' usual figure.
STALE_ACCOUNT_DAYS = int(env("STALE_ACCOUNT_DAYS", "90"))
# Days after which a password must be changed at the next login (tenants/passwords.py); 0, the default, turns
# expiry off: NIST SP 800-63B advises against forced rotation, and some assessors still ask for 90.
PASSWORD_EXPIRY_DAYS = int(env("PASSWORD_EXPIRY_DAYS", "0"))
# Scheduled backups kept per site (`backup_sites --scheduled` removes older ones; manual ones stay).
SITE_BACKUP_KEEP = int(env("SITE_BACKUP_KEEP", "7"))

# "default" is what Wagtail's own tasks use (reference index, search index, focal points, file
# deletion): they run at once, in the schema of the site whose editor caused them. A worker outside
# any site's schema must never run them, so they stay immediate, as without this setting.
# "jobs": long operations the console starts (backup, restore, fold, delete, the whole platform's
# backup) run in the job worker (`manage.py db_worker --backend jobs`), not in a request gunicorn cuts
# off after 30 s; their queue is a table of the public schema (tenants/jobs.py). Django 6's
# django.tasks has the same API, so moving to it later changes this setting only.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "jobs": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["site-jobs"]},
}

# ---------------------------------------------------------------------------
# Monitoring (网站监测)
# ---------------------------------------------------------------------------

# The national error-reporting platform (我为政府网站找错) every site's footer links, with its
# 网站标识码 in place of {site_code}: a plain link, no script of the national platform loaded into
# the pages. Set it to the address the province was given; empty hides the entry.
ERROR_REPORT_URL = env(
    "ERROR_REPORT_URL", "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode={site_code}"
)

# Availability probes (monitoring/probes.py): the national limit is a page within 15 s.
MONITORING_PROBE_TIMEOUT_SECONDS = float(env("MONITORING_PROBE_TIMEOUT_SECONDS", "15"))
# Sites probed at once: the probes mostly wait on the network.
MONITORING_PROBE_CONCURRENCY = int(env("MONITORING_PROBE_CONCURRENCY", "16"))
# "host=address:port,...", "*.domain" for a domain's names, "*" for every host: probe somewhere else than the DNS answer
# (development, or probing the edge from inside). Empty: the public address, as citizens see it.
MONITORING_PROBE_CONNECT_TO = env("MONITORING_PROBE_CONNECT_TO", "")
# Networks the monitors may reach besides the public Internet (comma-separated CIDRs), for an
# intranet deployment whose linked hosts have private addresses; empty: none (monitoring/outbound.py).
MONITORING_OUTBOUND_ALLOW = [n.strip() for n in env("MONITORING_OUTBOUND_ALLOW", "").split(",") if n.strip()]
# The link checker (monitoring/crawler.py): pages read per site and crawl, the pause between two
# requests to one host (each host is asked one thing at a time), sites crawled at once.
MONITORING_CRAWL_MAX_PAGES = int(env("MONITORING_CRAWL_MAX_PAGES", "2000"))
MONITORING_CRAWL_DELAY_SECONDS = float(env("MONITORING_CRAWL_DELAY_SECONDS", "0.5"))
MONITORING_CRAWL_CONCURRENCY = int(env("MONITORING_CRAWL_CONCURRENCY", "8"))
# External hosts the link checker leaves alone (comma-separated), e.g. where the checking host
# has no route to them.
MONITORING_CRAWL_SKIP_HOSTS = [h.strip() for h in env("MONITORING_CRAWL_SKIP_HOSTS", "").split(",") if h.strip()]
# 网页防篡改 (monitoring.tamper): the app node the published pages are read from, directly (address:port,
# the backend the edge itself uses: deploy/varnish/default.vcl); empty turns the probe off.
TAMPER_ORIGIN = env("TAMPER_ORIGIN", "127.0.0.1:8000")
# Column pages per site checked by each run besides the home page and one item: with the timer every
# 5 minutes, a site's 40 columns come round in under an hour.
TAMPER_COLUMNS_PER_RUN = int(env("TAMPER_COLUMNS_PER_RUN", "4"))
# The syndication worker (manage.py syndication_worker) wakes on each distribution's NOTIFY;
# it also looks every this many seconds, in case one came while it was restarting.
SYNDICATION_POLL_SECONDS = int(env("SYNDICATION_POLL_SECONDS", "60"))
# Sites it catches up at once, each on its own database connection (count them in max_connections).
SYNDICATION_WORKER_THREADS = int(env("SYNDICATION_WORKER_THREADS", "4"))
# Page-view beacons counted per address (django-ratelimit): well above what people reading can send,
# even many of them behind one office's or one carrier's shared address.
ANALYTICS_BEACON_RATE = env("ANALYTICS_BEACON_RATE", "300/m")
# Per-page view counters are kept this many days (manage.py prune_page_views, daily); the
# per-site daily totals are kept for good (one row per site and day).
ANALYTICS_PAGE_DAYS = int(env("ANALYTICS_PAGE_DAYS", "400"))

# ---------------------------------------------------------------------------
# Disclosure on application (依申请公开; the statutory periods are in disclosure/clock.py)
# ---------------------------------------------------------------------------

# An application turns amber in the office's inbox with this many working days or fewer left: a week,
# since an answer needs drafting, review and the head of the office's signature.
DISCLOSURE_DUE_SOON_WORKING_DAYS = 5
# The longest 补正 period the office may give (Art. 30 asks for a reasonable one; the notice proposes 15).
DISCLOSURE_MAX_COMPLETION_DAYS = 30
DISCLOSURE_COMPLETION_DAYS = 15
# A proof of identity (a scan or a photo): larger than a mailbox attachment, since scans of both sides are big.
DISCLOSURE_PROOF_MAX_BYTES = 10 * 1024 * 1024

# ---------------------------------------------------------------------------
# Citizen interaction (互动交流)
# ---------------------------------------------------------------------------

# Default reply deadline of a new mailbox, in working days; each mailbox page can choose 3, 7 or 15.
INTERACTION_REPLY_WORKING_DAYS = int(env("INTERACTION_REPLY_WORKING_DAYS", "15"))
# Reply deadline of an error report (纠错) from a page's 纠错 link, in working days: regional, 3 by default.
INTERACTION_ERROR_REPORT_WORKING_DAYS = int(env("INTERACTION_ERROR_REPORT_WORKING_DAYS", "3"))
# A message turns amber in the inbox when this many working days or fewer are left.
INTERACTION_DUE_SOON_WORKING_DAYS = 2
# Years after which a handled message's and a closed consultation's personal data (name, phone, e-mail,
# attachment) is cleared (manage.py anonymise_personal_data, weekly; interaction/privacy.py). Three: long
# enough for a follow-up or a complaint about the answer, and no longer than the work needs.
PERSONAL_DATA_RETENTION_YEARS = int(env("PERSONAL_DATA_RETENTION_YEARS", "3"))
INTERACTION_BODY_MAX_CHARS = 3000
INTERACTION_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Per client IP and site (django-ratelimit counts in the tenant-keyed default cache).
INTERACTION_SUBMIT_RATE = env("INTERACTION_SUBMIT_RATE", "5/10m")
# Query passwords are 8 random symbols; this keeps guessing hopeless.
INTERACTION_LOOKUP_RATE = env("INTERACTION_LOOKUP_RATE", "20/h")
# Behind nginx the client address arrives in X-Real-IP (deploy/ sets it); REMOTE_ADDR otherwise.
# Where a request's client address is: REMOTE_ADDR here, the header nginx sets in production. Read by
# tenants.audit.client_address for the audit trail, the lockout and the rate limits alike, which falls
# back to REMOTE_ADDR when the header is missing or is no address (a request that bypassed nginx).
CLIENT_ADDRESS_HEADER = env("CLIENT_ADDRESS_HEADER", "REMOTE_ADDR")
RATELIMIT_IP_META_KEY = "tenants.audit.client_address"
# With the shared cache unreachable the counters cannot be read: the citizen forms stay open rather
# than refuse everyone (a message must always be deliverable); the captcha, kept in each site's
# database, still stands in front of every form. README, "When a part fails".
RATELIMIT_FAIL_OPEN = True
CAPTCHA_LENGTH = 4
# No 0/O, 1/I/L: easy to misread on a captcha image.
CAPTCHA_CHALLENGE_FUNCT = "interaction.captcha.random_challenge"
CAPTCHA_TIMEOUT = 10  # minutes a captcha stays valid

# ---------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "政府网站集约化平台"
# No avatars from gravatar.com: sites run inside government networks, and the CSP allows no outside images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# ---------------------------------------------------------------------------
# Edge cache (deploy/varnish/default.vcl; see edge/headers.py and edge/purge.py)
# ---------------------------------------------------------------------------

# How long the edge may keep a page nobody purged: purges make changes visible at once,
# this bounds the damage of one that failed for good.
EDGE_CACHE_SHARED_MAX_AGE = int(env("EDGE_CACHE_SHARED_MAX_AGE", "600"))
# Browsers cannot be purged: they revalidate every time (the edge answers at static speed),
# so a citizen never sees a withdrawn notice from their own cache.
EDGE_CACHE_BROWSER_MAX_AGE = int(env("EDGE_CACHE_BROWSER_MAX_AGE", "0"))
# Never cached at the edge: the admin (previews included), captcha challenges, and search,
# whose every request is counted in the query statistics.
EDGE_CACHE_PRIVATE_PATHS = ["/admin/", "/captcha/", "/search/"]
# The edges to purge, comma-separated (e.g. http://127.0.0.1:6081); none: no purging (development).
EDGE_CACHE_PURGE_LOCATIONS = [u.strip() for u in env("EDGE_CACHE_PURGE_LOCATIONS", "").split(",") if u.strip()]
# Wagtail's front-end cache configuration, used by edge.purge (not by Wagtail's own
# signal handlers, which purge before the publish commits: wagtail.contrib.frontend_cache
# is deliberately not installed).
WAGTAILFRONTENDCACHE = {
    "edge": {"BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": EDGE_CACHE_PURGE_LOCATIONS, "TIMEOUT": 2},
} if EDGE_CACHE_PURGE_LOCATIONS else {}
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://localhost")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads are checked by their content (columns/uploads.py). Where a ClamAV daemon runs, its socket
# ("/run/clamav/clamd.ctl" or "host:port"): every upload is scanned, and refused while it cannot be.
UPLOAD_CLAMD = env("UPLOAD_CLAMD", "")
UPLOAD_CLAMD_TIMEOUT = float(env("UPLOAD_CLAMD_TIMEOUT", "30"))
# Editors' documents: the form checks each file's content, not only its extension.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "columns.forms.DocumentForm"
# mp4: the video file of a 视频解读 (policies.PolicyInterpretationPage) is a document.
WAGTAILDOCS_EXTENSIONS = ["pdf", "ofd", "doc", "docx", "xls", "xlsx", "wps", "zip", "txt", "mp4"]
# Sites have no per-user upload quotas; cap single uploads instead.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# ---------------------------------------------------------------------------
# Provisioning
# ---------------------------------------------------------------------------

# The schema every new site is cloned from. Kept migrated; refreshed
# automatically before a clone when the migrations on disk have changed.
SITE_TEMPLATE_SCHEMA = "site_template"
# Clones of the template made ahead of time (tenants/provisioning/spares.py): provisioning
# renames one instead of creating every relation of a site. Three covers a provincial admin
# opening sites one after another between refills; each holds only the template's tables.
SITE_SPARE_SCHEMAS = int(env("SITE_SPARE_SCHEMAS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail runs its background tasks inline here; one INFO line per task is noise.
        "django_tasks": {"level": "WARNING"},
        # django-axes logs every login attempt at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}
