#!/usr/bin/env sh
# usage (from the repository root): deploy/docker/publish-worker.sh OUT_DIR [--without-libtorch]
#
# The one publish step of the worker images (deploy/docker/Dockerfile runs it; the deploy tests run it too, so a
# publish that stops producing the entrypoint fails the build, not an image). A framework-dependent linux-x64
# Release publish, exactly the repository's normal build (Directory.Build.props), so the tests reuse its output.
# --without-libtorch leaves out the CPU libtorch that NuGet ships, for the GPU image, whose PyTorch provides a
# CUDA libtorch of the same version (docs in deploy/README.md, "Worker images").
set -eu
out=${1:?usage: publish-worker.sh OUT_DIR [--without-libtorch]}
flavor=${2:-}
case "$flavor" in
  ""|--without-libtorch) ;;
  *) echo "publish-worker.sh: unknown option '$flavor' (only --without-libtorch)" >&2; exit 2 ;;
esac
dotnet publish workers/MetaRewarding.Worker/MetaRewarding.Worker.csproj -c Release -o "$out"
if [ "$flavor" = "--without-libtorch" ]; then
  # The same files as libtorch-cpu-linux-x64 ships: libtorch*.so, libc10.so and its bundled libgomp.
  find "$out" -maxdepth 1 \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libgomp*.so*' \) -delete
fi
test -x "$out/metarewarding" || { echo "publish-worker.sh: $out/metarewarding (the images' entrypoint) is missing" >&2; exit 1; }
