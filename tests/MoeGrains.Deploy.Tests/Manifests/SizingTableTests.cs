using System.Globalization;
using MoeGrains.Model;
using MoeGrains.Model.Layers;

namespace MoeGrains.Deploy.Tests.Manifests;

/// <summary>The README's sizing table is computed from the presets: each row's parameter count is a real expert's.</summary>
public sealed class SizingTableTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("small")]
    [InlineData("base")]
    public void Readme_row_matches_the_parameters_of_a_real_expert(string preset)
    {
        var config = ModelConfig.FromPreset(preset, GateKind.Switch, vocabularySize: 258);
        using var expert = new ExpertFeedForward("expert", config.ModelDim, config.FeedForwardDim);
        var parameters = expert.parameters().Sum(p => p.numel());
        Assert.Equal(2L * config.ModelDim * config.FeedForwardDim + config.FeedForwardDim + config.ModelDim, parameters);

        var row = File.ReadAllLines(Path.Combine(DeploymentFiles.Root, "README.md")).Single(l => l.StartsWith($"| {preset} | {config.ModelDim} |", StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{config.ModelDim}", cells[1].Replace(",", "", StringComparison.Ordinal));
        Assert.Equal($"{config.FeedForwardDim}", cells[2].Replace(",", "", StringComparison.Ordinal));
        Assert.Equal(parameters.ToString("N0", CultureInfo.InvariantCulture), cells[3]);
        Assert.Equal(Bytes(parameters * 16), cells[4]);
        Assert.Equal(Bytes(parameters * 4), cells[5]);
    }

    private static string Bytes(long bytes) => bytes >= 1_000_000
        ? $"{(bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture)} MB"
        : $"{(bytes / 1e3).ToString("0", CultureInfo.InvariantCulture)} KB";
}
