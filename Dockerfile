FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=twente.settings \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/app/media PRIVATE_MEDIA_ROOT=/app/private_media
WORKDIR /app
# The dependencies first, read from pyproject.toml, so a code change keeps this layer.
COPY pyproject.toml /src/
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/src/pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt
# Then the project as a package: what pyproject.toml's package list and package data name is
# what the image runs (nothing is imported from a checkout).
COPY . /src
RUN pip install --no-cache-dir --no-deps /src && rm -rf /src /tmp/requirements.txt
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost django-admin collectstatic --noinput
RUN useradd --system --home /app opvang && mkdir -p /app/media /app/private_media && chown -R opvang /app
USER opvang
EXPOSE 8000
CMD ["gunicorn", "twente.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
