"""Settings for every environment, read from environment variables (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .environment import LOCAL_HOSTS, env_bool, env_int, env_list, env_str, env_url
from .logs import JSON_FORMATTER, log_format

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# The build being run, shown by /healthz: the image sets it to the git commit it was built from (docs/operations.md).
BUILD_VERSION = env_str("BUILD_VERSION")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-key-for-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOCAL_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens: core.ApiToken, stored hashed, with an expiry
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "axes",
    "csp",
    # Second factors: an authenticator app (TOTP) and recovery codes (core/second_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "partnerships",
    "workstreams",
    "engagement",
    "governance",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get Permissions-Policy too; no-store on every signed-in answer.
    "core.middleware.SecurityHeadersMiddleware",
    # Each request's correlation id (X-Request-ID), sent back and stored on the audit events it writes.
    "core.request_id.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in person read from the cache (core/user_cache.py, docs/adr/0019).
    "core.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, and the list of a person's signed-in sessions (core/sessions.py).
    "core.middleware.SessionLimitsMiddleware",
    # A person who owes a second factor (a code, or setting up an app) can reach only the pages that settle it.
    "core.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A view's 404 is our page, in DEBUG too (Django's debug page would list every URL and the access check's reason).
    "core.middleware.NotFoundPageMiddleware",
    # Axes turns a locked-out sign-in into its lockout page, so it must see the response last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stp_portal.urls"
WSGI_APPLICATION = "stp_portal.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        # Our pages: Jinja2 with the NHS.UK frontend macros (docs/adr/0001-jinja2-templates-with-nhsuk-macros.md).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja2.environment"},
    },
    {
        # The Django admin, DRF's browsable API and the API docs bring Django templates of their own.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if env_bool("BENCH_HEADERS", False):
    # `make bench` reads the queries of each request, and the slowest, from response headers; its URLs add the
    # yardstick routes (a plain Django ListView with its Django template) to the product's. Never set in production.
    MIDDLEWARE.insert(0, "core.middleware.QueryCountHeaderMiddleware")
    ROOT_URLCONF = "bench.urls"
    next(engine for engine in TEMPLATES if engine["BACKEND"].endswith(".DjangoTemplates"))["DIRS"].append(
        BASE_DIR / "bench" / "templates"
    )

DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web process and the embedded worker share the file: wait for locks and take them up front.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))
# Sessions and the signed-in person are read from the cache, and a sign-out or a change to a person in one process
# must reach every other (the web server's, the worker's, a management command's): the cache is one they all share.
# Without Redis, a folder of files under VAR_DIR, never process memory (docs/adr/0019).
if REDIS_URL:
    # Django's Redis cache, without a new client for every read (core/cache.py).
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Length 10–128, any characters; no forced rotation. The strength estimate counts the person's names, their
# organisation's and their partnerships' names and codes as guessable (core/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "core.password_validation.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "core.password_validation.StrengthValidator",
        "OPTIONS": {
            "min_score": 3,
            "context_lookups": [
                "profile__organisation__name",
                "partnershiprole__organisation__name",
                "partnershiprole__content_object__name",
                "partnershiprole__content_object__code",
            ],
        },
    },
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "core:start"
# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS after signing in however
# active the person is (core/sessions.py enforces both; the cookie's own age only backs the second up). Pages warn
# SESSION_IDLE_WARNING_SECONDS before the idle limit, with a button to stay signed in (WCAG 2.2.1).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30, minimum=3))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1))
SESSION_IDLE_WARNING_SECONDS = 120
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
# Django's cached database sessions, read from the cache and written through to the database, with a marker left in
# the cache when a session ends so that a revoked session cannot come back (core/session_store.py, docs/adr/0019).
SESSION_ENGINE = "core.session_store"

# Reset links last an hour; invitation links (core.accounts.InvitationTokenGenerator) last INVITATION_DAYS.
PASSWORD_RESET_TIMEOUT = 60 * 60
INVITATION_TIMEOUT = env_int("INVITATION_DAYS", 7, minimum=1, maximum=30) * 24 * 60 * 60
# Reset requests per email address and per client address in a fixed hour (core.accounts.password_reset_allowed).
PASSWORD_RESET_RATE_WINDOW = 60 * 60
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3, minimum=1)
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 20, minimum=1)

# How many reverse proxies in front of the app append to X-Forwarded-For. 0: use REMOTE_ADDR and ignore the
# X-Forwarded-For and X-Forwarded-Proto headers, which any client can write (core.accounts.client_address, and
# SECURE_PROXY_SSL_HEADER below). docker compose runs one proxy (Caddy), the only way in from outside.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

# Lock a username at one address after AXES_FAILURE_LIMIT failures, never the username everywhere (anyone could
# lock a signatory out) nor the address for every name (anyone could lock an office out); an address that fails
# SIGN_IN_ADDRESS_FAILURE_LIMIT times for any names is locked too (core.accounts.SignInLockoutHandler).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "core.accounts.SignInLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "core.accounts.client_address"
AXES_LOCKOUT_CALLABLE = "core.accounts.lockout_response"
AXES_RESET_ON_SUCCESS = True

# Second factors. When SECOND_FACTOR_REQUIRED is on, whoever the partnerships' rule names (a lead, board member,
# non-executive, organisation administrator, delegate or staff) must set up an authenticator app before using the
# service; anyone else may. Whoever has one gives a code at sign-in, and again to sign a decision when the last was
# more than SECOND_FACTOR_STEP_UP_MINUTES ago.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", True)
SECOND_FACTOR_REQUIRED_FOR = "partnerships.access.must_use_second_factor"
SECOND_FACTOR_STEP_UP_MINUTES = env_int("SECOND_FACTOR_STEP_UP_MINUTES", 15, minimum=1, maximum=60)
OTP_TOTP_ISSUER = "STP Portal"

# Single sign-on with OpenID Connect (core/oidc.py, docs/adr/0016): NHSmail through Microsoft Entra ID, or NHS Care
# Identity Service 2. On when OIDC_RP_CLIENT_ID is set; then every endpoint and the issuer must be given as the
# provider publishes them (nothing is guessed from a discovery document). A signed-in identity is matched to an
# existing account by its verified email address in one of OIDC_ALLOWED_EMAIL_DOMAINS; no account is ever created.
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "NHSmail")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_url("OIDC_OP_AUTHORIZATION_ENDPOINT", "", schemes=("https", "http"))
OIDC_OP_TOKEN_ENDPOINT = env_url("OIDC_OP_TOKEN_ENDPOINT", "", schemes=("https", "http"))
OIDC_OP_USER_ENDPOINT = env_url("OIDC_OP_USER_ENDPOINT", "", schemes=("https", "http"))
OIDC_OP_JWKS_ENDPOINT = env_url("OIDC_OP_JWKS_ENDPOINT", "", schemes=("https", "http"))
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds for each call to the provider
OIDC_CREATE_USER = False  # people are invited; a stranger's identity signs in to nothing
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"
OIDC_ALLOWED_EMAIL_DOMAINS = [domain.lower() for domain in env_list("OIDC_ALLOWED_EMAIL_DOMAINS", ["nhs.net"])]
# Entra ID often sends no `email_verified` claim; a tenant whose addresses are all its own may be trusted as sent.
OIDC_TRUST_EMAIL_UNVERIFIED = env_bool("OIDC_TRUST_EMAIL_UNVERIFIED", False)
# The provider's second factor counts as ours when the ID token's `amr` names one of these methods (RFC 8176; Entra
# ID sends "mfa"), or its `acr` is one of these levels (Care Identity Service 2's authentication assurance levels:
# AAL2 and AAL3 need two factors, AAL1 does not).
OIDC_SECOND_FACTOR_AMR = env_list("OIDC_SECOND_FACTOR_AMR", ["mfa", "hwk", "sc"])
OIDC_SECOND_FACTOR_ACR = env_list("OIDC_SECOND_FACTOR_ACR", ["AAL2", "AAL3", "AAL2_OR_ABOVE", "AAL2_ANY", "AAL3_ANY"])
if OIDC_RP_CLIENT_ID:
    _oidc_missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_ALLOWED_EMAIL_DOMAINS",
        )
        if not globals()[name]
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(f"Single sign-on (OIDC_RP_CLIENT_ID) also needs {', '.join(_oidc_missing)}.")
    AUTHENTICATION_BACKENDS.append("core.oidc.OIDCBackend")

# Guardian's anonymous user would sit in every permission query; the public pages need no permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "core.storage.HashedStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads in an S3-compatible bucket (django-storages) when MEDIA_S3_BUCKET is set, so that web and workers on
# several machines share them; otherwise files under MEDIA_ROOT (one machine, or a shared volume). Credentials come
# from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role. Never public: downloads go through views.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_url("MEDIA_S3_ENDPOINT_URL", "", schemes=("http", "https")) or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "location": "media",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Uploaded documents are served only through views that check access: no URL route serves MEDIA_URL.
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Only for EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder it writes emails to.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "STP Portal <no-reply@stp-portal.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "partnership-demo")
# The NHS reference data (ODS and ONS files) for seed_scale and the import tests. Default: the copy in
# partnerships/data/nhs-reference (see its SOURCES.md).
NHS_REFERENCE_DIR = env_str("NHS_REFERENCE_DIR")

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under VAR_DIR, so a laptop
# needs no broker (docs/adr/0002-embedded-celery-transport.md).
CELERY_DATA_DIR = Path(env_str("CELERY_DATA_DIR", str(VAR_DIR / "celery")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
# Two queues, so that a digest's build or a partnership's archive never holds up a sign-off email: "default" for
# emails and quick jobs, "reports" for every reporting task. A worker started without -Q takes both (make run, the
# tests); docker compose runs one worker per queue.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = {"default": {}, "reports": {}}
CELERY_TASK_ROUTES = {"reporting.tasks.*": {"queue": "reports"}}
# Workers log through Django's LOGGING (JSON lines in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.tasks.heartbeat", "schedule": timedelta(minutes=1)},
    # Keeps each audit chain's head (an anchor verify_audit checks) and logs it (docs/adr/0017).
    "audit-chain-heads": {"task": "core.tasks.record_audit_chain_heads", "schedule": timedelta(days=1)},
    # Emails and builds whose hand-over to the worker failed (broker down) or whose worker died (core/outbox.py).
    "outbox": {"task": "core.tasks.run_due_outbox_messages", "schedule": timedelta(minutes=1)},
    "governance-signoff-reminders": {
        "task": "governance.tasks.send_signoff_reminders",
        "schedule": timedelta(hours=1),
    },
    "governance-close-overdue-signoffs": {
        "task": "governance.tasks.close_overdue_signoffs",
        "schedule": timedelta(hours=1),
    },
    # Builds the board digests whose time has come (each partnership sets its own), and any missed while no worker ran.
    "reporting-board-digests": {
        "task": "reporting.tasks.queue_due_digests",
        "schedule": timedelta(seconds=env_int("DIGEST_CHECK_SECONDS", 15 * 60, minimum=1, maximum=24 * 60 * 60)),
    },
    # Deletes the archives of "Download everything" whose EXPORT_KEEP_DAYS are up (reporting/services/exports.py).
    "reporting-expire-exports": {"task": "reporting.tasks.expire_exports", "schedule": timedelta(hours=1)},
}
# How long an archive of a partnership's complete record is kept for its lead to download.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7, minimum=1, maximum=90)

REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with "WWW-Authenticate: Token", telling a client what to send.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's, plus the refusals (400, 401, 403, 404) every API view may answer.
    "DEFAULT_SCHEMA_CLASS": "core.api.views.ServiceSchema",
    # JSON in, as out: a body offered as JSON, form and multipart alike leaves a client generated from the schema
    # unable to write. The few endpoints that take a file add MultiPartParser themselves (docs/adr/0005). Tests
    # send JSON too, unless they say otherwise.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox): personal, named, stored as SHA-512 digests, sent as "Authorization: Token <token>"
# like DRF's. API_TOKEN_DAYS is the default and the longest life a token may have; its owner may choose less.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1, maximum=366)
KNOX_TOKEN_MODEL = "core.ApiToken"
# knox's own migrations create its default token table even when the model is swapped for ours, and that table's
# foreign key to the users stops PostgreSQL emptying them between transactional tests. Our token lives in core; knox
# needs no table of its own.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,  # an expiry is a promise to its owner: using a token does not extend it
    "TOKEN_LIMIT_PER_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "STP Portal API",
    "DESCRIPTION": (
        "Partnerships, work-streams, decisions, engagement and risks, under the same permissions as the pages."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs reveal the shape of the service: signed-in people and token holders only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Each choice set is named after its class, so two fields named "kind" or "status" do not collide in the
    # schema (--fail-on-warn); each app adds its own.
    "ENUM_NAME_OVERRIDES": {
        "GovernanceFormEnum": "partnerships.models.GovernanceForm",
        "DecisionCategoryEnum": "partnerships.models.DecisionCategory",
        "RoleEnum": "partnerships.models.Role",
        "OrganisationKindEnum": "partnerships.models.OrganisationKind",
        "MembershipKindEnum": "partnerships.models.MembershipKind",
        "AgreementKindEnum": "partnerships.models.AgreementKind",
        "AgreementStatusEnum": "partnerships.models.AgreementStatus",
        "DecisionStatusEnum": "governance.models.DecisionStatus",
        "DecisionRuleEnum": "governance.models.DecisionRule",
        "VisibilityEnum": "governance.models.Visibility",
        "VoteEnum": "governance.models.Vote",
        "ChallengeKindEnum": "governance.models.ChallengeKind",
        "WithdrawalPositionEnum": "governance.models.interests.WITHDRAWAL_POSITIONS",
        "InterestKindEnum": "governance.models.InterestKind",
        "PositionEnum": "governance.models.Position",
        "RatificationOutcomeEnum": "governance.models.RatificationOutcome",
        "RoundOutcomeEnum": "governance.models.signoffs.ROUND_OUTCOMES",
        "RiskTierEnum": "governance.models.RiskTier",
        "RiskSourceEnum": "governance.models.RiskSource",
        "RiskStatusEnum": "governance.models.RiskStatus",
        "RiskBandEnum": "governance.models.RiskBand",
        "RiskTrendEnum": "governance.models.Trend",
        "AppetiteLevelEnum": "governance.models.AppetiteLevel",
        "EngagementLevelEnum": "engagement.models.activities.Level",  # beside the appetite's `level`
        "CoverageRagEnum": "engagement.api.serializers.COVERAGE_RAG_CHOICES",  # beside a work-stream's RagEnum
        "ReviewFrequencyEnum": "governance.models.ReviewFrequency",
        "DigestStatusEnum": "reporting.models.DigestStatus",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Many resources: the docs open as a list of collapsed sections with a filter box.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "filter": True},
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form says what to do in plain words (NHS.UK page), and an API client gets JSON.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers and compose health checks talk plain HTTP to /healthz.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if TRUSTED_PROXY_COUNT:
        # Believed only behind a proxy that sets it (Caddy overwrites whatever the client sent): with no trusted
        # proxy, a client writing "X-Forwarded-Proto: https" over plain HTTP would pass for a secure request.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The console log: one JSON object per line in production (for a log collector), plain lines on a laptop. Every
# line carries the request's correlation id (core/request_id.py), and REQUEST_LOG adds a line per request answered,
# instead of gunicorn's access log (which cannot say who asked or give the id).
LOG_FORMAT = log_format()
REQUEST_LOG = env_bool("REQUEST_LOG", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{request_id}]: {message}", "style": "{"},
        "json": JSON_FORMATTER,
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
