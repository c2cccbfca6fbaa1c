using TorchSharp;
using static TorchSharp.torch;

namespace MoeGrains.Model.Routing;

/// <summary>What a gate may know about the tokens besides their hidden states.</summary>
/// <param name="TokenIds">Token id of every routed position, flattened: long [T]. The hash gate routes on it.</param>
/// <param name="DomainIds">Domain id of every routed position, flattened: long [T]; null when unknown. The domain gate routes on it.</param>
/// <param name="Generator">Source of randomness (BASE shuffling, top-2 sampling noise); seeded for reproducibility.</param>
/// <param name="Dropless">
/// Inference without capacity limits: the capacity gates (switch, top-2) keep every token's chosen experts, so a
/// sequence's output does not depend on the other sequences of its batch (scoring and generation use it).
/// </param>
public sealed record RoutingContext(Tensor TokenIds, Tensor? DomainIds, Generator? Generator, bool Dropless = false);
