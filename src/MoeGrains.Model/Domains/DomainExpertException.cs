namespace MoeGrains.Model.Domains;

/// <summary>A domain-expert request that cannot be carried out (an unknown or duplicate expert, retiring the last one, …); nothing was changed.</summary>
public sealed class DomainExpertException(string message) : Exception(message);
