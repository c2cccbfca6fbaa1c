namespace MoeGrains.Abstractions.Domains;

/// <summary>How domain experts are named in the cluster and in the checkpoint store.</summary>
public static class DomainExpertNames
{
    /// <summary>The grain key of <paramref name="domain"/>'s expert of <paramref name="model"/>: <c>{model}/domain/{domain}</c>.</summary>
    public static string GrainKey(string model, string domain) => $"{model}/domain/{domain}";

    /// <summary>The store model name the expert's checkpoints are versioned under: <c>{model}.domain.{domain}</c>.</summary>
    public static string StoreName(string model, string domain) => $"{model}.domain.{domain}";

    /// <summary>Splits a grain key into model and domain.</summary>
    /// <exception cref="ArgumentException">The key is not <c>{model}/domain/{domain}</c>.</exception>
    public static (string Model, string Domain) ParseGrainKey(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || parts[1] != "domain" || parts[0].Length == 0 || parts[2].Length == 0)
            throw new ArgumentException($"'{key}' is not a domain-expert key; expected {{model}}/domain/{{domain}}.");
        return (parts[0], parts[2]);
    }
}
