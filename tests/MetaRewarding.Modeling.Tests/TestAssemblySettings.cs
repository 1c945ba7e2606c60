// Torch tests share two CPU cores and libtorch's global thread pool: running them in parallel only makes
// each slower and timings noisy, so the whole assembly runs its tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
