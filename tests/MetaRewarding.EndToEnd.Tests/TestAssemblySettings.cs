// Every test here trains models on two shared cores and some kill processes: they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
