#!/bin/sh
# Places the JMX exporter agent jar at JMX_EXPORTER_JAR, verified against JMX_EXPORTER_SHA256, and exits non-zero
# (leaving nothing behind) when the checksum does not match. The jar comes from JMX_EXPORTER_JAR_IN_IMAGE (a path in
# a mirror image) when set, otherwise from JMX_EXPORTER_URL. Run as `sh -c` by the Kafka pods' init container; its
# parameters are that container's environment (jmxExporterInstallEnvironment).
set -eu
target="$JMX_EXPORTER_JAR"
tmp="$target.download"
mkdir -p "$(dirname "$target")"
if [ -n "${JMX_EXPORTER_JAR_IN_IMAGE:-}" ]; then
  cp "$JMX_EXPORTER_JAR_IN_IMAGE" "$tmp"
else
  # https only, with the server's certificate verified (curl's default; --proto keeps redirects on https too).
  curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 -o "$tmp" "$JMX_EXPORTER_URL"
fi
if ! echo "$JMX_EXPORTER_SHA256  $tmp" | sha256sum -c -; then
  rm -f "$tmp"
  exit 1
fi
mv "$tmp" "$target"
