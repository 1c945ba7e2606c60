#!/bin/sh
# Runs in temporalio/admin-tools once the server is healthy (compose.yaml, service temporal-setup): creates the
# namespace the workers use and registers the search attributes in SEARCH_ATTRIBUTES ("Name=Type ..."), each only
# when missing, so every `docker compose up` may run it. The `temporal` CLI reads TEMPORAL_ADDRESS.
set -eu
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS (host:port of the frontend) is required}"
: "${TEMPORAL_NAMESPACE:?TEMPORAL_NAMESPACE is required}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES (Name=Type pairs) is required}"

attempt=0
until temporal operator cluster health >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 60 ] || { echo "Temporal at $TEMPORAL_ADDRESS is not healthy after 60 tries" >&2; exit 1; }
  sleep 2
done

if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE"
  echo "namespace $TEMPORAL_NAMESPACE created"
fi

# A new namespace takes a few seconds to reach every frontend: retry the first listing.
attempt=0
until existing=$(temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" 2>/dev/null); do
  attempt=$((attempt + 1))
  [ "$attempt" -lt 30 ] || { echo "cannot list the search attributes of $TEMPORAL_NAMESPACE" >&2; exit 1; }
  sleep 2
done

for pair in $SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  type=${pair#*=}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type "$type"
    echo "search attribute $name ($type) registered"
  fi
done
