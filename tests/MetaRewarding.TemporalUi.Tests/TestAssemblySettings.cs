// One sandbox run serves every browser check; they share the machine's cores with its training, so one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
