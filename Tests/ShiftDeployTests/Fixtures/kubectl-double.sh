#!/bin/sh
# A stand-in for kubectl serving recorded JSON (there is no cluster in the tests).
# KUBECTL_DOUBLE_DIR holds <resource>.json and optional <resource>-N.json answers: the Nth
# call of `kubectl get <resource>` gets <resource>-N.json when it exists, else <resource>.json.
# Every call is appended to calls.log.
set -eu
dir=${KUBECTL_DOUBLE_DIR:?}
echo "$*" >> "$dir/calls.log"
[ "$1" = "get" ] || { echo "kubectl-double: only get is supported" >&2; exit 1; }
case "$2" in
  deployment|deployments|deploy) resource=deployment ;;
  rollout|rollouts) resource=rollout ;;
  pods|pod|po) resource=pods ;;
  *) echo "error: the server doesn't have a resource type \"$2\"" >&2; exit 1 ;;
esac
count_file="$dir/$resource.count"
count=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
echo "$count" > "$count_file"
if [ -f "$dir/$resource-$count.json" ]; then
  cat "$dir/$resource-$count.json"
elif [ -f "$dir/$resource.json" ]; then
  cat "$dir/$resource.json"
else
  echo "Error from server (NotFound): $resource not found" >&2
  exit 1
fi
