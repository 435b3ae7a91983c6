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

ENTRYPOINT ["alerts"]
CMD ["run"]
