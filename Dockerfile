# One image with every MentorNet executable; compose.yaml and deploy/kubernetes pick the
# entrypoint per service. This is the published way to build it, from public base images. Where
# no registry can be reached, scripts/build-image makes the same image from release binaries built
# on the host and a debootstrap'd bookworm base (docs/deployment.md).
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        libprotobuf-c-dev protobuf-c-compiler libsqlite3-dev binutils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The executables (not SwiftPM's `mentornet-*.product` folders), stripped, and the Swift runtime
# libraries they load, once for all of them.
RUN swift build -c release \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /out/bin /out/lib \
    && find "$bin" -maxdepth 1 -type f -name 'mentornet-*' -perm -u+x -exec install -m 0755 {} /out/bin/ \; \
    && strip --strip-unneeded /out/bin/* \
    && ldd /out/bin/* | awk '$3 ~ /^\/usr\/lib\/swift\// {print $3}' | sort -u | xargs -r cp -t /out/lib/

FROM debian:bookworm-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
# docker build --build-arg VERSION=... --build-arg REVISION="$(git rev-parse HEAD)" --build-arg SOURCE=<repository URL> .
ARG SOURCE=
LABEL org.opencontainers.image.title="MentorNet" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
RUN apt-get update && apt-get install -y --no-install-recommends \
        libprotobuf-c1 libsqlite3-0 tzdata ca-certificates libstdc++6 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 mentornet \
    && useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home mentornet \
    && install -d -m 0750 -o 10001 -g 10001 /data
COPY --from=build /out/bin/ /usr/local/bin/
COPY --from=build /out/lib/ /usr/local/lib/
RUN ldconfig
ENV MENTORNET_DATA_DIR=/data
# Numeric, so Kubernetes' runAsNonRoot can verify it without a runAsUser.
USER 10001:10001
WORKDIR /data
# No VOLUME: each service's deployment mounts its own volume at /data (compose.yaml,
# deploy/kubernetes); a declared one would leave an anonymous volume behind for the gateway.
CMD ["mentornet-gateway"]
