#!/usr/bin/env bash
# Builds a stand-in for the official Deno image without an image registry, for tests on machines
# that cannot pull `denoland/deno`: a Debian root filesystem from Debian's packages
# (debootstrap --variant=minbase) plus the `deno` binary from the npm package `@deno/linux-*-glibc`
# at the version the Dockerfile pins, tini at /tini, and a `deno` user (uid 1993) with DENO_DIR
# /deno-dir as the official image has. It also carries this machine's CA bundle and
# DENO_TLS_CA_STORE=mozilla,system so `deno install` inside a build can reach the npm registry
# through a TLS-intercepting proxy: a test base only; the production image never gets them.
#
# Usage: tools/docker/test_base.sh            prints the image tag it built (or found)
# Env:   TRADER_DOCKER_CACHE  where the rootfs tarball and deno zip are kept
#                             (default /var/cache/trading-system-docker); a second run reuses them
#        DEBIAN_MIRROR, DEBIAN_SUITE  default: the first deb.debian.org entry of this machine's
#                             apt sources, else http://deb.debian.org/debian bookworm
# Needs root (debootstrap, docker), debootstrap, npm and a running docker daemon.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { echo "test_base: $*" >&2; }

image_ref=$(sed -n 's/^ARG DENO_IMAGE=//p' Dockerfile | head -n 1)
version=${image_ref##*:}
if [ -z "$image_ref" ] || [ "$version" = "$image_ref" ]; then
  log "Dockerfile: no 'ARG DENO_IMAGE=denoland/deno:<version>' line to take the Deno version from"
  exit 2
fi

cache=${TRADER_DOCKER_CACHE:-/var/cache/trading-system-docker}
mkdir -p "$cache"

sources_mirror() {
  local f
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [ -f "$f" ] || continue
    if [[ $f == *.sources ]]; then
      awk '/^URIs:/ && $2 ~ /debian\/?$/ { print $2; exit }' "$f"
    else
      awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }' "$f"
    fi
    return 0
  done
}
sources_suite() {
  local f
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [ -f "$f" ] || continue
    if [[ $f == *.sources ]]; then
      awk '/^Suites:/ { print $2; exit }' "$f"
    else
      awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $3; exit }' "$f"
    fi
    return 0
  done
}
mirror=${DEBIAN_MIRROR:-$(sources_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}
suite=${DEBIAN_SUITE:-$(sources_suite)}
suite=${suite:-bookworm}

case "$(uname -m)" in
  x86_64) npm_arch=x64 ;;
  aarch64) npm_arch=arm64 ;;
  *)
    log "no npm deno package for $(uname -m)"
    exit 2
    ;;
esac

# 1. Root filesystem: minbase has getent (libc-bin), groupadd/useradd (passwd); tini is added.
#    Docs, man pages, locales and apt lists are dropped: the image never runs apt.
rootfs_tar="$cache/rootfs-$suite-minbase-tini.tar"
if [ ! -s "$rootfs_tar" ]; then
  command -v debootstrap >/dev/null || {
    log "debootstrap is missing: apt-get install -y debootstrap"
    exit 2
  }
  work=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "debootstrap --variant=minbase $suite from $mirror (once; cached in $rootfs_tar)"
  debootstrap --variant=minbase --include=tini "$suite" "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 20 "$work/debootstrap.log" >&2
    log "debootstrap failed"
    exit 1
  }
  rm -rf "$work/root"/usr/share/{doc,man,info,locale} "$work/root"/var/lib/apt/lists/* \
    "$work/root"/var/cache/apt/*.bin "$work/root"/var/cache/apt/archives/*.deb
  tar -C "$work/root" --numeric-owner -cf "$work/rootfs.tar" .
  mv "$work/rootfs.tar" "$rootfs_tar"
  rm -rf "$work"
  trap - EXIT
fi

# 2. The deno binary at the pinned version, from npm's platform package for this machine.
deno_pkg="@deno/linux-$npm_arch-glibc"
deno_bin="$cache/deno-$version-linux-$npm_arch"
if [ ! -x "$deno_bin" ]; then
  work=$(mktemp -d "$cache/deno.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  log "npm pack $deno_pkg@$version (once; cached in $deno_bin)"
  (cd "$work" && npm pack --silent "$deno_pkg@$version" >/dev/null)
  tar -C "$work" -xzf "$work"/*.tgz
  install -m 0755 "$work/package/deno" "$deno_bin.tmp"
  mv "$deno_bin.tmp" "$deno_bin"
  rm -rf "$work"
  trap - EXIT
fi
if ! "$deno_bin" --version | head -n 1 | grep -q "^deno $version "; then
  log "$deno_bin is not deno $version"
  exit 1
fi

# 3. Import the root filesystem, then add deno, tini at /tini, the deno user and the CA bundle.
rootfs_image="trading-system-test-rootfs:$suite"
if ! docker image inspect "$rootfs_image" >/dev/null 2>&1; then
  log "docker import $rootfs_tar as $rootfs_image"
  docker import "$rootfs_tar" "$rootfs_image" >/dev/null
fi
tag="trading-system-test-base:$version"
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp "$deno_bin" "$ctx/deno"
cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $rootfs_image
COPY deno /usr/bin/deno
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s /usr/bin/tini /tini \
  && groupadd --gid 1993 deno \
  && useradd --uid 1993 --gid deno --no-create-home --shell /bin/bash deno \
  && mkdir /deno-dir && chown deno:deno /deno-dir
ENV DENO_DIR=/deno-dir/ \
    DENO_INSTALL_ROOT=/usr/local \
    DENO_TLS_CA_STORE=mozilla,system \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.opencontainers.image.description="test stand-in for denoland/deno:$version (not for production)"
ENTRYPOINT ["/tini", "--", "deno"]
CMD ["--version"]
DOCKERFILE
log "docker build $tag"
docker build -q -t "$tag" "$ctx" >/dev/null
echo "$tag"
