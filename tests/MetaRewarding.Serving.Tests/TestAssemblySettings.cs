// Torch tests share two cores and the process-wide torch RNG/thread settings: they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
