#!/usr/bin/env bash
# usage (anywhere Docker with BuildKit runs): deploy/docker/build-images.sh [TAG] [REPOSITORY]
# Builds the CPU and GPU worker images, REPOSITORY:TAG-cpu and REPOSITORY:TAG-gpu (defaults: the git commit and
# the METAREWARDING_IMAGE of deploy/compose/.env), with the base-image versions pinned in deploy/compose/.env.
# Push them with `docker push REPOSITORY:TAG-cpu` / `-gpu` and give the chart those tags (deploy/helm/metarewarding).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v docker >/dev/null || { echo "build-images.sh: needs Docker (docker build with BuildKit)" >&2; exit 1; }
set -a
# shellcheck source=/dev/null  # .env: NAME=value lines only
. deploy/compose/.env
set +a
tag=${1:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
repository=${2:-$METAREWARDING_IMAGE}
for flavor in cpu gpu; do
  DOCKER_BUILDKIT=1 docker build -f deploy/docker/Dockerfile --target "$flavor" \
    --build-arg DOTNET_VERSION="$DOTNET_VERSION" --build-arg PYTORCH_IMAGE_TAG="$PYTORCH_IMAGE_TAG" \
    -t "$repository:$tag-$flavor" .
done
echo "built $repository:$tag-cpu and $repository:$tag-gpu"
