namespace MoeGrains.Cli.Report;

/// <summary>One line of a plot.</summary>
internal sealed record ReportSeries(string Label, double[] Steps, double[] Values);
