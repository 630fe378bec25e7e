# The Wangge image for the multi-node layout of docs/DEPLOY.md ("Containers").
# Build from the wheel (static files, vendored assets, compiled catalogues and the service worker inside),
# so the image needs neither Node nor gettext:
#     make wheel && docker build -t wangge .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WANGGE_VAR_DIR=/var/lib/wangge

# The CJK font the brief and paper PDFs embed (dashboard/briefs/pdf_writer.py).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/wangge --create-home wangge

# Exactly the tested pins, hashes checked (the lock holds the dev tools too: kept for `wangge check`'s
# parity with CI; a slimmer image would lock the main dependencies alone).
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock && rm /tmp/requirements.lock

COPY dist/ /tmp/dist/
RUN pip install --no-cache-dir --no-deps /tmp/dist/wangge-*.whl && rm -rf /tmp/dist

USER wangge
WORKDIR /var/lib/wangge
EXPOSE 8000
# An app node; compose.yaml runs the same image as the Celery worker, beat and the one-off migration.
# Single-threaded workers, about two per core: a request's time is Python's, so threads only queue for the
# interpreter lock (docs/PERFORMANCE.md, the 8 a.m. rush); the proxy buffers slow uploads (docs/DEPLOY.md).
CMD ["gunicorn", "wangge.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60"]
