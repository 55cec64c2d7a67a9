FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY twente twente
COPY municipalities municipalities
COPY capacity capacity
COPY allocation allocation
COPY meetings meetings
COPY matching matching
COPY accounts accounts
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
RUN useradd --system --home /app opvang && mkdir -p /app/private_media && chown -R opvang /app
USER opvang
EXPOSE 8000
CMD ["gunicorn", "twente.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
