# The production image: the locked runtime dependencies and the code, served by gunicorn.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production

WORKDIR /app
RUN useradd --system --create-home --home-dir /home/makeworks makeworks

COPY requirements/main.txt requirements/main.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/main.txt

COPY . .
# /app/staticfiles is this image's own copy (Django reads its manifest there); the `release` service of
# docker-compose.yml copies it into /srv/static, the volume nginx serves. Both folders belong to the
# app's user, so empty named volumes mounted there start out writable by it.
# collectstatic needs keys to import settings; these sign and encrypt nothing and are never used at run time.
RUN SECRET_KEY=collectstatic-only BADGE_KEY_SECRET=collectstatic-only-never-used-at-run-time \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media /srv/static && chown -R makeworks /app/media /srv/static

USER makeworks
EXPOSE 8000
CMD ["gunicorn", "makeworks.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
