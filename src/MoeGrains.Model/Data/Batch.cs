using static TorchSharp.torch;

namespace MoeGrains.Model.Data;

/// <summary>A batch of fixed-length token blocks that remember their domain.</summary>
/// <param name="Tokens">long [B, L + 1]: inputs are [:, :-1], targets [:, 1:].</param>
/// <param name="Domains">long [B]: the domain id of each block.</param>
public sealed record Batch(Tensor Tokens, Tensor Domains) : IDisposable
{
    /// <summary>Inputs: long [B, L].</summary>
    public Tensor Inputs() => Tokens[.., ..^1];

    /// <summary>Targets: long [B, L].</summary>
    public Tensor Targets() => Tokens[.., 1..];

    /// <summary>Releases the native tensors.</summary>
    public void Dispose()
    {
        Tokens.Dispose();
        Domains.Dispose();
    }
}
