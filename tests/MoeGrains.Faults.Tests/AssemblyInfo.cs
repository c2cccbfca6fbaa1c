// The fault suite shares one multi-process cluster and kills its silos: tests must never run side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
