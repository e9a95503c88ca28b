# diplowatch: the live bot. Build: docker build -t diplowatch .
# Run:   docker run --env-file .env -v diplowatch-data:/data diplowatch
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DIPLOWATCH_DATABASE=/data/diplowatch.db \
    DIPLOWATCH_FIXTURE_DIR=/app/fixtures/feeds

RUN groupadd --system --gid 10001 diplowatch \
    && useradd --system --uid 10001 --gid diplowatch --home-dir /app diplowatch

WORKDIR /app
# Same install steps as the Makefile: pinned requirements first (cached layer), then the project.
COPY requirements.txt ./
RUN python -m pip install --quiet -r requirements.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY storage ./storage
COPY fixtures ./fixtures
RUN python -m pip install --quiet --no-deps . \
    && mkdir -p /data && chown 10001:10001 /data

USER 10001:10001
VOLUME ["/data"]

# Healthy while the database opens and answers: the bot writes it on every poll.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sqlite3,sys; sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True).execute('SELECT 1 FROM schema_version'); print('ok')", "/data/diplowatch.db"]

ENTRYPOINT ["diplowatch", "run"]
