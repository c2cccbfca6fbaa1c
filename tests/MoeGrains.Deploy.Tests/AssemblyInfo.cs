// The process tests start silo processes and stores on two shared cores; one at a time keeps their timeouts honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
