# One image with every MentorNet executable; compose.yaml picks the entrypoint per service.
# Not built in CI (no Docker engine there); the same binaries run as plain processes in tests.
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        libprotobuf-c-dev protobuf-c-compiler libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --static-swift-stdlib \
    && mkdir /out && cp "$(swift build -c release --show-bin-path)"/mentornet-* /out/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libprotobuf-c1 libsqlite3-0 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data mentornet && mkdir /data && chown mentornet /data
COPY --from=build /out/ /usr/local/bin/
USER mentornet
VOLUME /data
