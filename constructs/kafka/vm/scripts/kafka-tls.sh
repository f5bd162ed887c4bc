#!/bin/bash
# Creates this node's private key on the node and has the CA sign a certificate for its DNS name, so no key ever
# leaves the instance or enters Terraform state. Runs before every start of kafka.service; Kafka reads the PEM files
# at start, so a renewed certificate takes effect with the next restart.
set -euo pipefail
# The node's facts, written by cloud-init beside this script (VM_FILES.bootstrapEnv).
# shellcheck source=/dev/null
. /etc/kafka/bootstrap.env
export AWS_DEFAULT_REGION
[ "$TLS_ENABLED" = true ] || exit 0
install -d -m 0750 -o root -g kafka "$TLS_DIR"
if [ -s "$TLS_DIR/tls.crt" ] && openssl x509 -checkend "$TLS_RENEW_SECONDS" -noout -in "$TLS_DIR/tls.crt" >/dev/null; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
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

for file in tls.key tls.crt ca.crt; do
  install -m 0640 -o root -g kafka "$work/$file" "$TLS_DIR/$file"
done
echo "kafka-tls: issued a certificate for $NODE_HOST (CN=$TLS_PRINCIPAL)" >&2
