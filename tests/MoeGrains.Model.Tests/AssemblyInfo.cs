// Tests create models from torch's global seed; a test running beside another would draw from the same generator.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
