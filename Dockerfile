# Paint Animation: gunicorn serving the Flask app, as a non-root user.
#   docker build -t paint-animation .
#   docker run -p 5000:5000 -v paint-data:/app/data paint-animation
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=5000 \
    UPLOAD_FOLDER=/app/data/uploads \
    OUTPUT_FOLDER=/app/data/outputs \
    LOG_FOLDER=/app/data/logs \
    DATABASE_URL=sqlite:////app/data/app.db

WORKDIR /app

# Requirements first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 --user-group paint \
    && mkdir -p /app/data/uploads /app/data/outputs /app/data/logs \
    && chown -R paint:paint /app/data
COPY --chown=root:root . .

USER paint
VOLUME ["/app/data"]
EXPOSE 5000

HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/health' % os.environ.get('PORT', '5000'), timeout=8)"

# gunicorn reads ./gunicorn.conf.py (workers, timeouts, logging) by itself.
CMD ["gunicorn", "main:app"]
