#!/bin/bash
# Runs the reconcile on this controller from its systemd timer: the same kafka-reconcile.sh the Kubernetes CronJob
# runs, with the same plan files, both read afresh from the cluster's S3 bucket (RECONCILE_BUCKET) on every run, so a
# `terraform apply` of a changed spec reaches the cluster without replacing an instance. Every controller runs it;
# the script acts only while this node is the active controller (ACTIVE_CONTROLLER_NODE_ID), so losing any one node
# moves the work to the new active controller.
# Passwords come from Secrets Manager at run time into this run's private temporary directory (the unit sets
# PrivateTmp), never onto a command line or into a synthesized file, and are removed when the run ends.
set -euo pipefail
umask 077
# The node's facts (VM_FILES.bootstrapEnv): region, node id, Kafka home, TLS directory, admin secret, bucket.
# shellcheck source=/dev/null
. "${BOOTSTRAP_ENV:-/etc/kafka/bootstrap.env}"
export AWS_DEFAULT_REGION
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/plan" "$work/users" "$work/admin-previous" "$work/logs"
aws s3 cp --recursive --only-show-errors "s3://$RECONCILE_BUCKET/reconcile/" "$work/plan/"

# Prints the password in secret $1 at version stage $2: the secret string itself, or its JSON key $3 (or
# "password" when the secret is a JSON object and no key is given).
password_of() {
  aws secretsmanager get-secret-value --secret-id "$1" --version-stage "$2" --query SecretString --output text |
    python3 -c 'import json, sys
raw = sys.stdin.read().rstrip("\n")
key = sys.argv[1]
try:
    value = json.loads(raw)
except ValueError:
    value = raw
if isinstance(value, dict):
    value = value[key or "password"]
elif key:
    sys.exit("the secret is not a JSON object, but a JSON key is configured")
print(value)' "$3"
}

# users.secrets: user|secret name or ARN|JSON key (empty: the secret is the password).
while IFS='|' read -r user secret key; do
  [ -n "$user" ] || continue
  password_of "$secret" AWSCURRENT "$key" >"$work/users/$user"
done <"$work/plan/users.secrets"
# After a rotation of the admin password Kafka still knows the previous one (absent before the first rotation).
if [ -n "$ADMIN_SECRET" ] && ! password_of "$ADMIN_SECRET" AWSPREVIOUS '' >"$work/admin-previous/password" 2>/dev/null; then
  rm -f "$work/admin-previous/password"
fi

PLAN_DIR="$work/plan" USERS_DIR="$work/users" PREVIOUS_ADMIN_DIR="$work/admin-previous" CA_DIR="$TLS_DIR" ADMIN_TLS_DIR="$TLS_DIR" \
  KAFKA_BIN="$KAFKA_HOME/bin" LOG_DIR="$work/logs" KAFKA_HEAP_OPTS=-Xmx256m ACTIVE_CONTROLLER_NODE_ID="$NODE_ID" \
  bash "$work/plan/kafka-reconcile.sh"
