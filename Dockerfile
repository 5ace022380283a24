# syntax=docker/dockerfile:1
# newsbot: the Telegram bot, configured only from the environment (see README).
#
#   docker build -t newsbot .
#   docker run -d --name newsbot -e TELEGRAM_BOT_TOKEN=... -v newsbot-data:/data newsbot

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/newsbot
WORKDIR /src
# Dependencies first, pinned by the lock file: this layer is rebuilt only when it changes.
COPY requirements.lock ./
RUN /opt/newsbot/bin/pip install --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY retrieval ./retrieval
COPY library ./library
COPY bot ./bot
COPY seeds ./seeds
RUN /opt/newsbot/bin/pip install --no-deps .

FROM python:3.11-slim
RUN groupadd --gid 10001 newsbot \
    && useradd --create-home --uid 10001 --gid 10001 newsbot \
    && mkdir /data \
    && chown 10001:10001 /data
COPY --from=build /opt/newsbot /opt/newsbot
ENV PATH=/opt/newsbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    NEWSBOT_DB=/data/newsbot.db \
    NEWSBOT_HEALTH_FILE=/tmp/newsbot-health.json
# Every chat's articles and settings live here; keep it on a named volume or a bind mount.
VOLUME ["/data"]
USER 10001:10001
WORKDIR /home/newsbot
# Healthy only while the bot's loop beats and, when polling, Telegram answered within 90 s.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.health"]
ENTRYPOINT ["python", "-m", "bot"]
