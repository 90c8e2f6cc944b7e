# One trading instance per container: `docker compose up -d` runs one per config/strategies/*.yaml.
# Build args UID/GID let the mounted data/ and logs/ stay writable by the host user.
FROM denoland/deno:2.9.6

ARG UID=1000
ARG GID=1000

WORKDIR /app

# Dependencies first, in their own layer, pinned by the committed lock file.
COPY deno.json deno.lock ./
RUN deno install --frozen

COPY src/ src/
COPY tasks/ tasks/
RUN deno cache --frozen tasks/*.ts \
  && (getent group "${GID}" || groupadd --gid "${GID}" trader) \
  && (getent passwd "${UID}" || useradd --uid "${UID}" --gid "${GID}" --no-create-home --shell /usr/sbin/nologin trader) \
  && mkdir -p /app/data /app/logs /app/config/strategies \
  && chown -R "${UID}:${GID}" /app/data /app/logs

USER ${UID}:${GID}
ENV DENO_NO_UPDATE_CHECK=1

# Compose overrides the permission flags per service, scoping network access to one exchange.
ENTRYPOINT ["deno", "run", "-q", "-P=trade", "tasks/trade.ts"]
CMD ["--help"]

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["deno", "run", "-q", "-P=health", "tasks/health.ts"]
