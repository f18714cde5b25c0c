#!/usr/bin/env bash
# Validates the deployment without a cluster or a Docker engine (CI, laptops):
#   1. installs pinned tools into ~/.cache/aftersales/k8s-tools if missing (kustomize, kubeconform, the schema
#      generator and compose checker in k8s/tools, dockerfile-utils);
#   2. renders every overlay with kustomize;
#   3. validates every rendered object with kubeconform -strict against Kubernetes JSON schemas generated
#      offline from k8s.io/client-go (k8s/tools/schemagen); operator custom resources are skipped by name;
#   4. loads infra/docker-compose.yml with compose-go (what `docker compose config` uses);
#   5. lints infra/docker/Dockerfile (k8s/tools/lint-dockerfile.cjs).
# Idempotent; the second run only renders and checks (about a second).
#
#   bash k8s/validate.sh                    everything above; exit 0 only if all passed
#   bash k8s/validate.sh kubeconform FILE…  step 3 alone on other manifests (same schemas and flags)
#   bash k8s/validate.sh compose FILE       step 4 alone on another compose file
#   bash k8s/validate.sh dockerfile FILE…   step 5 alone on other Dockerfiles
# Env: VALIDATE_OUT=DIR keeps the rendered overlays there (DIR/<overlay>.yaml); AFTERSALES_CACHE moves the cache.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${AFTERSALES_CACHE:-$HOME/.cache/aftersales}/k8s-tools"
KUSTOMIZE_VERSION=v5.8.1 # v5.8.3 needs Go 1.27; this machine has 1.26
KUBECONFORM_VERSION=v0.8.0
DOCKERFILE_UTILS_VERSION=0.16.3
OVERLAYS=(dev prod)
# Custom resources of the operators (RabbitMQ cluster + messaging topology, MongoDB Community): no schema offline.
CRD_KINDS=RabbitmqCluster,Vhost,User,Permission,TopicPermission,MongoDBCommunity

log() { printf '[validate] %s\n' "$*" >&2; }
die() {
  printf '[validate] FAILED: %s\n' "$*" >&2
  exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# Go builds share the machine: one package at a time, low priority.
go_build() { nice -n 10 env GOFLAGS=-p=1 CGO_ENABLED=0 "$@"; }

ensure_go_tool() { # name module version
  local bin="$CACHE/bin/$1-$3"
  if [[ ! -x "$bin" ]]; then
    command -v go >/dev/null || die "go is needed to install $1 ($2@$3)"
    log "installing $2@$3"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && GOBIN="$tmp" go_build go install "$2@$3") >&2 || die "go install $2@$3"
    mv "$tmp/$1" "$bin"
    rm -rf "$tmp"
  fi
  printf '%s' "$bin"
}

# The programs in k8s/tools, rebuilt only when their sources or go.sum change.
ensure_local_tool() { # name
  local hash bin
  hash="$(cat "$ROOT/k8s/tools/go.mod" "$ROOT/k8s/tools/go.sum" "$ROOT/k8s/tools/$1"/*.go | sha256sum | cut -c1-16)"
  bin="$CACHE/bin/$1-$hash"
  if [[ ! -x "$bin" ]]; then
    command -v go >/dev/null || die "go is needed to build k8s/tools/$1"
    log "building k8s/tools/$1 (first run: a few minutes)"
    (cd "$ROOT/k8s/tools" && go_build go build -o "$bin.tmp" "./$1") >&2 || die "go build k8s/tools/$1"
    mv "$bin.tmp" "$bin"
  fi
  printf '%s' "$bin"
}

ensure_schemas() {
  local gen dir
  gen="$(ensure_local_tool schemagen)"
  dir="$CACHE/schemas/$(basename "$gen")"
  if [[ ! -f "$dir/.complete" ]]; then
    rm -rf "$dir"
    "$gen" "$dir" >&2 || die "schema generation"
    touch "$dir/.complete"
  fi
  printf '%s' "$dir"
}

ensure_dockerfile_utils() {
  local dir="$CACHE/npm/dockerfile-utils-$DOCKERFILE_UTILS_VERSION"
  if [[ ! -f "$dir/.complete" ]]; then
    log "installing dockerfile-utils@$DOCKERFILE_UTILS_VERSION"
    rm -rf "$dir" && mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-fund --no-audit --loglevel=error \
      "dockerfile-utils@$DOCKERFILE_UTILS_VERSION" >&2 || die "npm install dockerfile-utils"
    touch "$dir/.complete"
  fi
  printf '%s' "$dir/node_modules"
}

run_kubeconform() { # FILE…
  local kubeconform schemas
  kubeconform="$(ensure_go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION")"
  schemas="$(ensure_schemas)"
  "$kubeconform" -strict -summary -output text \
    -schema-location "$schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -skip "$CRD_KINDS" "$@"
}

run_compose() { "$(ensure_local_tool composecheck)" "$1"; }

run_dockerfile_lint() { NODE_PATH="$(ensure_dockerfile_utils)" node "$ROOT/k8s/tools/lint-dockerfile.cjs" "$@"; }

mkdir -p "$CACHE/bin"
case "${1:-all}" in
  kubeconform)
    shift
    run_kubeconform "$@"
    exit
    ;;
  compose)
    run_compose "$2"
    exit
    ;;
  dockerfile)
    shift
    run_dockerfile_lint "$@"
    exit
    ;;
  all) ;;
  *) die "unknown command $1 (kubeconform | compose | dockerfile)" ;;
esac

start="$(now)"
t="$(now)"
KUSTOMIZE="$(ensure_go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION")"
run_kubeconform /dev/null >/dev/null # builds kubeconform and the schemas now, so the timings below are the checks'
run_compose "$ROOT/infra/docker-compose.yml" >/dev/null 2>&1 || true
ensure_dockerfile_utils >/dev/null
log "tools ready ($(since "$t")): $(basename "$KUSTOMIZE"), kubeconform-$KUBECONFORM_VERSION, dockerfile-utils@$DOCKERFILE_UTILS_VERSION"

OUT="${VALIDATE_OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
for overlay in "${OVERLAYS[@]}"; do
  t="$(now)"
  # LoadRestrictionsNone: the branch directory ConfigMap is made from config/branches.json, outside k8s/.
  "$KUSTOMIZE" build --load-restrictor LoadRestrictionsNone "$ROOT/k8s/overlays/$overlay" >"$OUT/$overlay.yaml" ||
    die "kustomize build k8s/overlays/$overlay"
  count="$(grep -c '^kind: ' "$OUT/$overlay.yaml")"
  echo "rendered $overlay: $count objects ($(since "$t"))"
  t="$(now)"
  run_kubeconform "$OUT/$overlay.yaml" || die "kubeconform: k8s/overlays/$overlay"
  echo "validated $overlay ($(since "$t"))"
done

t="$(now)"
run_compose "$ROOT/infra/docker-compose.yml" || die "infra/docker-compose.yml"
echo "compose ok ($(since "$t"))"

t="$(now)"
run_dockerfile_lint "$ROOT/infra/docker/Dockerfile" || die "infra/docker/Dockerfile"
echo "dockerfile ok ($(since "$t"))"

echo "all checks passed in $(since "$start")"
