#!/bin/bash
# Creates this node's private key on the node and has the CA sign a certificate for its DNS name, so no key ever
# leaves the instance or enters Terraform state. Runs before every start of kafka.service; Kafka reads the PEM files
# at start, so a renewed certificate takes effect with the next restart. A failed renewal does not stop Kafka while
# the current certificate is still valid: the script warns, and the node's metrics file (read by node_exporter's
# textfile collector) carries the failure and the expiry for the certificate alerts.
set -euo pipefail
# The node's facts, written by cloud-init beside this script (VM_FILES.bootstrapEnv).
# shellcheck source=/dev/null
. /etc/kafka/bootstrap.env
export AWS_DEFAULT_REGION
[ "$TLS_ENABLED" = true ] || exit 0
install -d -m 0750 -o root -g kafka "$TLS_DIR"

# $1 = 1 after a failed renewal, else 0. Gauges for node_exporter's textfile collector, written atomically.
write_metrics() {
  local not_after=0
  if [ -s "$TLS_DIR/tls.crt" ]; then
    not_after="$(date -d "$(openssl x509 -enddate -noout -in "$TLS_DIR/tls.crt" | cut -d= -f2)" +%s)"
  fi
  install -d -m 0755 "$TLS_METRICS_DIR"
  printf '%s\n' \
    '# HELP kafka_tls_certificate_expiry_timestamp_seconds Expiry of the node certificate Kafka loads (Unix time).' \
    '# TYPE kafka_tls_certificate_expiry_timestamp_seconds gauge' \
    "kafka_tls_certificate_expiry_timestamp_seconds $not_after" \
    '# HELP kafka_tls_certificate_renewal_failed 1 when the last renewal of the node certificate failed.' \
    '# TYPE kafka_tls_certificate_renewal_failed gauge' \
    "kafka_tls_certificate_renewal_failed $1" >"$TLS_METRICS_DIR/kafka-tls.prom.tmp"
  mv "$TLS_METRICS_DIR/kafka-tls.prom.tmp" "$TLS_METRICS_DIR/kafka-tls.prom"
}

if [ -s "$TLS_DIR/tls.crt" ] && openssl x509 -checkend "$TLS_RENEW_SECONDS" -noout -in "$TLS_DIR/tls.crt" >/dev/null; then
  write_metrics 0
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Creates the key, has it signed and leaves tls.key, tls.crt and ca.crt in $work.
issue_certificate() {
  umask 077
  # genpkey writes PKCS#8, which Kafka's PEM key store needs (KIP-651).
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/tls.key" 2>/dev/null
  openssl req -new -key "$work/tls.key" -subj "/CN=$TLS_PRINCIPAL" -addext "subjectAltName=DNS:$NODE_HOST" -out "$work/node.csr"

  case "$CA_KIND" in
    secrets-manager)
      aws secretsmanager get-secret-value --secret-id "$CA_SECRET" --query SecretString --output text > "$work/ca.json"
      python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
ca = json.load(open(os.path.join(work, "ca.json")))
open(os.path.join(work, "ca.crt"), "w").write(ca["certificate"].strip() + "\n")
open(os.path.join(work, "ca.key"), "w").write(ca["privateKey"].strip() + "\n")
PY
      # The signer decides the extensions; nothing is copied from the request.
      printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$NODE_HOST" > "$work/ext.cnf"
      openssl x509 -req -in "$work/node.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -sha256 -days "$TLS_DAYS" \
        -set_serial "0x$(openssl rand -hex 16)" -extfile "$work/ext.cnf" -out "$work/cert.pem" 2>/dev/null
      cat "$work/cert.pem" > "$work/tls.crt"
      ;;
    private-ca)
      # The end-entity template, named explicitly: the node role may issue with no other (its partition is the CA's).
      arn="$(aws acm-pca issue-certificate --certificate-authority-arn "$CA_ARN" --csr "fileb://$work/node.csr" \
        --template-arn "${CA_ARN%%:acm-pca:*}:acm-pca:::template/EndEntityCertificate/V1" \
        --signing-algorithm SHA256WITHRSA --validity "Value=$TLS_DAYS,Type=DAYS" --query CertificateArn --output text)"
      aws acm-pca wait certificate-issued --certificate-authority-arn "$CA_ARN" --certificate-arn "$arn"
      aws acm-pca get-certificate --certificate-authority-arn "$CA_ARN" --certificate-arn "$arn" --query Certificate --output text > "$work/tls.crt"
      aws acm-pca get-certificate --certificate-authority-arn "$CA_ARN" --certificate-arn "$arn" --query CertificateChain --output text > "$work/ca.crt"
      cat "$work/ca.crt" >> "$work/tls.crt"
      ;;
    *) echo "kafka-tls: unknown CA kind $CA_KIND" >&2; exit 1 ;;
  esac
}

# Run apart, so that `set -e` holds inside (it is off for a function called as an `if` condition).
issue_certificate &
if ! wait "$!"; then
  if [ -s "$TLS_DIR/tls.crt" ] && openssl x509 -checkend 0 -noout -in "$TLS_DIR/tls.crt" >/dev/null; then
    echo "kafka-tls: WARNING: renewing the certificate for $NODE_HOST failed; starting with the current one until it expires" >&2
    write_metrics 1
    exit 0
  fi
  echo "kafka-tls: could not issue a certificate for $NODE_HOST, and there is no valid one to fall back on" >&2
  write_metrics 1
  exit 1
fi

for file in tls.key tls.crt ca.crt; do
  install -m 0640 -o root -g kafka "$work/$file" "$TLS_DIR/$file"
done
echo "kafka-tls: issued a certificate for $NODE_HOST (CN=$TLS_PRINCIPAL)" >&2
write_metrics 0
