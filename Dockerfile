# The bot for a server: its code, the PostgreSQL driver, and the prompts and articles that
# clinicians edit (docker-compose.yml mounts this folder's prompts/ and content/ over them).
# Not built by CI: the project's machines have no Docker daemon. See README.md, "Deployment".
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# `python -m bot` run from /app uses the code in /app/bot, so the prompts/ and content/ beside
# it are the ones read (and the ones docker-compose.yml mounts over).
WORKDIR /app

# The code first and the folders clinicians edit last, so editing a template rebuilds one layer.
COPY pyproject.toml README.md ./
COPY bot/ bot/
RUN pip install '.[postgres]'
COPY prompts/ prompts/
COPY content/ content/

# No root at run time. data/ is where a SQLite database would live (the default DATABASE_URL).
RUN useradd --system --uid 10001 --home-dir /app --no-create-home bot \
    && mkdir -p /app/data \
    && chown bot /app/data
USER bot

# Healthy while this instance's dispatcher keeps recording its ticks in the database.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]

CMD ["python", "-m", "bot", "run"]
