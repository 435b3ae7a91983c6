FROM python:3.12-slim

RUN useradd --create-home --uid 10001 alerts
WORKDIR /src
COPY pyproject.toml README.md ./
COPY alerts ./alerts
COPY migrations ./migrations
RUN pip install --no-cache-dir . && rm -rf /src

# The config and the SQLite file live on the volume: /data/alerts.toml,
# and `url = "sqlite:///alerts.db"` there resolves to /data/alerts.db.
RUN mkdir /data && chown alerts:alerts /data
VOLUME ["/data"]
WORKDIR /data
ENV ALERTS_CONFIG=/data/alerts.toml PYTHONUNBUFFERED=1
USER alerts

# The page, feeds, /healthz and /metrics (`alerts run --http`).
EXPOSE 9108
# /healthz answers 200 while the scheduler runs and the database answers.
# No curl in the slim image: Python asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=4).status != 200)"]

ENTRYPOINT ["alerts"]
CMD ["run", "--http", "0.0.0.0:9108"]
