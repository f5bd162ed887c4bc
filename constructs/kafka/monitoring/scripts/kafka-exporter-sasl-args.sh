#!/bin/sh
# Run as `sh -c` by the kafka-exporter pod's init container: writes its SCRAM password as an argument file in the
# pod's memory-backed volume, one argument per line, which the exporter reads through `@<file>` on its command line
# (kingpin's argument files). So the long-running exporter has the password in neither its arguments nor its
# environment, and only this short-lived container mounts the Secret. Parameters are the container's environment:
# KAFKA_EXPORTER_PASSWORD_FILE (the Secret's `password` key, mounted) and KAFKA_EXPORTER_ARGS_FILE.
set -eu
umask 077
password="$(cat "$KAFKA_EXPORTER_PASSWORD_FILE")"
case "$password" in
  '') echo "kafka-exporter: the password in $KAFKA_EXPORTER_PASSWORD_FILE is empty" >&2; exit 1 ;;
  *'
'*) echo "kafka-exporter: the password spans several lines, which an argument file cannot hold" >&2; exit 1 ;;
esac
printf -- '--sasl.password=%s\n' "$password" >"$KAFKA_EXPORTER_ARGS_FILE.tmp"
mv "$KAFKA_EXPORTER_ARGS_FILE.tmp" "$KAFKA_EXPORTER_ARGS_FILE"
