#!/usr/bin/env bash
# Refreshes the vendored front-end assets from the npm registry. The results are committed: the portal never
# loads anything from a CDN, and `make run` needs no npm.
set -euo pipefail
BOOTSTRAP_VERSION=5.3.9
DEJAVU_VERSION=2.37.3
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "bootstrap@$BOOTSTRAP_VERSION" "dejavu-fonts-ttf@$DEJAVU_VERSION" >/dev/null
mkdir bootstrap dejavu
tar xzf "bootstrap-$BOOTSTRAP_VERSION.tgz" -C bootstrap
tar xzf "dejavu-fonts-ttf-$DEJAVU_VERSION.tgz" -C dejavu
dest="$root/static/vendor"
mkdir -p "$dest/bootstrap" "$dest/dejavu"
cp bootstrap/package/dist/css/bootstrap.min.css bootstrap/package/dist/css/bootstrap.min.css.map "$dest/bootstrap/"
cp bootstrap/package/dist/js/bootstrap.bundle.min.js bootstrap/package/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/"
cp bootstrap/package/LICENSE "$dest/bootstrap/LICENSE"
cp dejavu/package/ttf/DejaVuSans.ttf dejavu/package/ttf/DejaVuSans-Bold.ttf "$dest/dejavu/"
cp dejavu/package/LICENSE "$dest/dejavu/LICENSE"
echo "bootstrap $BOOTSTRAP_VERSION, dejavu-fonts-ttf $DEJAVU_VERSION" > "$dest/VERSIONS"
echo "vendored into $dest"
