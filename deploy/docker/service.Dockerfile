# The image of every nameko service, one recipe parametrised by build arguments. Build context is
# the repository root (the shared kit lives in services/):
#   docker build -f deploy/docker/service.Dockerfile -t xjcloud/identity \
#       --build-arg FOLDER=identity-svc --build-arg SERVICE=identity \
#       --build-arg MODULE=identity.service:IdentityService .
# docker-compose.yml passes the three arguments for each service (deploy/docker/README.md).

FROM python:3.11-slim-bookworm AS build
ARG FOLDER
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
COPY constraints.txt /src/constraints.txt
COPY services /src/services
COPY ${FOLDER} /src/service
# non-editable installs: the final image holds the venv only, no sources
RUN /opt/venv/bin/pip install -c /src/constraints.txt "/src/services[nameko]" /src/service

FROM python:3.11-slim-bookworm
ARG FOLDER
ARG SERVICE
ARG MODULE
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TZ=Asia/Shanghai \
    PATH=/opt/venv/bin:$PATH \
    XJ_ENV=prod \
    XJ_SERVICE=${SERVICE} \
    XJ_SERVICE_MODULE=${MODULE}
RUN test -n "$XJ_SERVICE" && test -n "$XJ_SERVICE_MODULE" \
 && groupadd --system --gid 10001 xj \
 && useradd --system --uid 10001 --gid xj --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin xj
COPY --from=build /opt/venv /opt/venv
COPY deploy/docker/healthcheck.py /opt/xj/healthcheck.py
COPY ${FOLDER}/config.yml /opt/xj/service/config.yml
WORKDIR /opt/xj/service
USER xj:xj
# the service's own RPC ping over RabbitMQ; healthy only when it answers status "ok"
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 \
    CMD ["sh", "-c", "exec python /opt/xj/healthcheck.py \"$XJ_SERVICE\""]
CMD ["sh", "-c", "exec nameko run --config config.yml \"$XJ_SERVICE_MODULE\""]
