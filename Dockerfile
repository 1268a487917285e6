# syntax=docker/dockerfile:1
# Build: a static, pure-Go binary (modernc.org/sqlite needs no cgo) and the
# sample database built in. .ci/run repeats these steps.
#
# Base images should be pinned by digest (FROM image:tag@sha256:…) so a
# rebuild gets the same bytes. The digests could not be looked up where this
# was written (no registry access); pin them with:
#   docker buildx imagetools inspect golang:1.26-bookworm
#   docker buildx imagetools inspect gcr.io/distroless/static-debian12:nonroot
# and write the "Digest:" lines after the tags below.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/web ./cmd/web \
 && mkdir -p /out/data \
 && /out/web import -db /out/data/transcripts.db data/sample.jsonl

# Run: no shell, no package manager, not root.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/web /web
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV ADDR=:8080 DB_PATH=/data/transcripts.db
EXPOSE 8080
# A new named volume starts with the sample database from the image;
# import your own with: docker run --rm -v VOL:/data IMAGE import -db /data/transcripts.db FILE
# The image cannot run `web fetch` (yt-dlp needs Python): fetch outside it
# and mount the folder, as the README's Docker section shows.
VOLUME /data
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 CMD ["/web", "healthcheck"]
ENTRYPOINT ["/web"]
