# STP Portal's images. The last stage, `app`, is the default: gunicorn for the web, the same image for the Celery
# workers and beat and for the one-off `migrate`. The `proxy` stage is Caddy with the collected static files.
# Build with the commit it comes from, which /healthz then reports:
#   BUILD_VERSION=$(git rev-parse --short=12 HEAD) docker compose build

# Python packages, installed from the lock file alone (every version pinned, every file's hash checked): this layer
# is rebuilt only when requirements/production.txt changes, not on every code change.
FROM python:3.11-slim-bookworm AS python-packages
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY requirements/production.txt /tmp/requirements.txt
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes --no-deps -r /tmp/requirements.txt

# The stylesheet and NHS.UK scripts: front-end versions live in package.json and package-lock.json only.
FROM node:24-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY static static
RUN npm run build

# collectstatic: every static file under a name with its content's hash, compressed, with the manifest pages read.
FROM python-packages AS static-files
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY . .
COPY --from=assets /build/static/dist static/dist
RUN DEBUG=false SECRET_KEY=collectstatic-only VAR_DIR=/var/lib/stp-portal \
    python manage.py collectstatic --noinput -v0

FROM caddy:2-alpine AS proxy
COPY stp_portal/Caddyfile /etc/caddy/Caddyfile
COPY --from=static-files /var/lib/stp-portal/staticfiles /srv/static

FROM python:3.11-slim-bookworm AS app
# WeasyPrint renders the board digests to PDF with Pango (and HarfBuzz's subsetter, to embed only the glyphs used);
# postgresql-client gives `manage.py backup` and `restore` their pg_dump and pg_restore (the same major version as the
# database, docker-compose.yml's postgres:15).
# The runtime user owns only what it must write: uploads, beat's schedule, Celery's folders, exports. The code and the
# static files stay root's, read-only to it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1000 --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin portal \
    && install -d -o root -g root -m 755 /var/lib/stp-portal \
    && install -d -o portal -g portal -m 750 /var/lib/stp-portal/media /var/lib/stp-portal/beat \
        /var/lib/stp-portal/celery /var/lib/stp-portal/cache /var/lib/stp-portal/mail /var/lib/stp-portal/exports
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=stp_portal.settings.base \
    VAR_DIR=/var/lib/stp-portal
WORKDIR /app
COPY --from=python-packages /opt/venv /opt/venv
COPY --from=static-files /var/lib/stp-portal/staticfiles /var/lib/stp-portal/staticfiles
COPY . .
# Compiled once here, as the code cannot be written at run time.
RUN python -m compileall -q /app
ARG BUILD_VERSION=""
ENV BUILD_VERSION=$BUILD_VERSION
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "stp_portal.healthcheck"]
CMD ["gunicorn", "-c", "stp_portal/gunicorn_conf.py"]
