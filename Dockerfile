# syntax=docker/dockerfile:1
# sowhat in a container: `docker build -t sowhat .`, then
#   docker run --env-file .env -v sowhat-data:/data -p 8080:8080 sowhat
# The build stage runs deploy/build.sh, the script CI runs on every change;
# Docker itself is not run in CI.

# Build: cgo, for the embedded SQLite, on the Debian release the runtime
# image is built from (the same glibc).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN deploy/build.sh /out/sowhat && mkdir -p /out/data

# Run: glibc and CA certificates, no shell, no package manager; the binary
# and an empty data folder owned by the non-root user.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/sowhat /sowhat
COPY --from=build --chown=nonroot:nonroot /out/data /data
USER nonroot
VOLUME /data
ENV DATABASE_URL=/data/sowhat.db
EXPOSE 8080
# distroless has no curl: the binary GETs its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/sowhat", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/sowhat"]
CMD ["serve", "--addr", ":8080"]
