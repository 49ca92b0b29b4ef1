# The gatehouse server in a minimal image: a static binary (scripts/build,
# the same build .ci/run checks), running as a non-root user, its SQLite
# database on the /data volume.
#   docker build -t gatehouse .
#   docker run -p 8080:8080 -v gatehouse-data:/data gatehouse

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN scripts/build /out/gatehouse && mkdir -p /out/data

# distroless/static: CA certificates and /etc/passwd with the nonroot user
# (65532), nothing else: no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gatehouse /usr/local/bin/gatehouse
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
ENV GATEHOUSE_ADDR=0.0.0.0:8080 \
    GATEHOUSE_DB=/data/gatehouse.db
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/gatehouse", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/gatehouse"]
CMD ["serve"]
