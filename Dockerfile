# syntax=docker/dockerfile:1
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY retrieval ./retrieval
COPY bot ./bot
COPY seeds ./seeds
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 newsbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER newsbot
WORKDIR /home/newsbot
ENTRYPOINT ["python", "-m", "retrieval"]
CMD ["ask", "How many troops are in Syria?"]
