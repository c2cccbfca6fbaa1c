using MoeGrains.Model.Data;

namespace MoeGrains.Model.Scoring;

/// <summary>
/// Scores every choice of every item with the requested <see cref="ScoringMethod"/>s. It tokenizes context and choice
/// separately (as the reference implementations do), checks that every sequence fits the window before anything is
/// scored, sends all sequences of all items to the <see cref="IContinuationScorer"/> in one call, and combines the token
/// log-probabilities with <see cref="ScoringFormulas"/>.
/// </summary>
public sealed class MultipleChoiceScorer(IContinuationScorer scorer, ITokenizer tokenizer)
{
    /// <summary>The null context of pmi.</summary>
    public const string NullContext = ":";

    /// <summary>The content-free input of direct++'s calibration.</summary>
    public const string CalibrationInput = "N/A";

    private readonly IContinuationScorer scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
    private readonly ITokenizer tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));

    /// <summary>Per item, each method's score of each choice.</summary>
    /// <exception cref="ArgumentException">
    /// An item with no choices, an empty context or choice, a missing domain premise for pmi-dc or domain-cond, or a
    /// sequence that cannot fit the window; the message names the item's line.
    /// </exception>
    public async Task<IReadOnlyList<ItemScores>> ScoreAsync(IReadOnlyList<ChoiceItem> items, IReadOnlyList<ScoringMethod> methods,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(methods);
        if (items.Count == 0) throw new ArgumentException("There are no items to score.", nameof(items));
        if (methods.Count == 0) throw new ArgumentException("No scoring method was requested.", nameof(methods));
        var needs = new Needs(methods);
        var requests = new RequestList(scorer.ContextLength);
        var nullContext = tokenizer.Encode(NullContext);
        var calibration = tokenizer.Encode(CalibrationInput);
        var slots = new ChoiceSlots[items.Count][];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new ArgumentException($"Item {i} is null.", nameof(items));
            var where = item.Where(i);
            if (item.Choices is null || item.Choices.Count == 0) throw new ArgumentException($"{where}: the item has no choices.");
            var context = Encode(item.Context, $"{where}: the context");
            int[]? premise = null;
            if (needs.DomainPremise)
            {
                if (string.IsNullOrEmpty(item.DomainPremise))
                    throw new ArgumentException($"{where}: pmi-dc and domain-cond need a domain_premise, and this item has none.");
                premise = Encode(item.DomainPremise, $"{where}: the domain premise");
            }
            int[]? channelContinuation = needs.Channel ? Encode(" " + item.Context.TrimStart(), $"{where}: the context") : null;
            slots[i] = new ChoiceSlots[item.Choices.Count];
            for (var j = 0; j < item.Choices.Count; j++)
            {
                var at = $"{where}, choice {j}";
                var choice = Encode(item.Choices[j], $"{at}: the choice");
                slots[i][j] = new ChoiceSlots(
                    requests.Add(context, choice, at),
                    needs.NullContext ? requests.Add(nullContext, choice, at) : -1,
                    premise is null ? -1 : requests.Add(premise, choice, at),
                    needs.Calibration ? requests.Add(calibration, choice, at) : -1,
                    channelContinuation is null ? -1 : requests.Add(Encode(item.Choices[j].TrimStart(), $"{at}: the choice"), channelContinuation,
                        $"{at} (channel scores the context after the choice)"));
            }
        }

        var scores = await scorer.ScoreAsync(requests.Requests, cancellationToken).ConfigureAwait(false);
        double[]? Pick(int slot) => slot < 0 ? null : scores[slot];
        var results = new ItemScores[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var perChoice = slots[i].Select(s => new ChoiceLogProbabilities(scores[s.Direct], Pick(s.NullContext), Pick(s.DomainPremise),
                Pick(s.Calibration), Pick(s.Channel))).ToArray();
            results[i] = new ItemScores(methods.Distinct().ToDictionary(m => m, m => perChoice.Select(p => ScoringFormulas.Score(m, p)).ToArray()));
        }
        return results;
    }

    private int[] Encode(string? text, string what)
    {
        if (string.IsNullOrEmpty(text)) throw new ArgumentException($"{what} is empty.");
        var tokens = tokenizer.Encode(text);
        return tokens.Length > 0 ? tokens : throw new ArgumentException($"{what} encodes to no tokens.");
    }

    /// <summary>Which kinds of sequences the requested methods need.</summary>
    private sealed class Needs(IReadOnlyList<ScoringMethod> methods)
    {
        public bool NullContext { get; } = methods.Contains(ScoringMethod.Pmi);
        public bool DomainPremise { get; } = methods.Any(m => m.NeedsDomainPremise());
        public bool Calibration { get; } = methods.Contains(ScoringMethod.DirectPlusPlus);
        public bool Channel { get; } = methods.Contains(ScoringMethod.Channel);
    }

    /// <summary>Indices into the request list of one choice's sequences (−1: not needed).</summary>
    private readonly record struct ChoiceSlots(int Direct, int NullContext, int DomainPremise, int Calibration, int Channel);

    /// <summary>The requests of one call, each checked against the window as it is added.</summary>
    private sealed class RequestList(int contextLength)
    {
        public List<ContinuationRequest> Requests { get; } = [];

        public int Add(int[] context, int[] continuation, string where)
        {
            try
            {
                ContinuationWindow.KeptContext(context.Length, continuation.Length, contextLength);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{where}: {e.Message}", e);
            }
            Requests.Add(new ContinuationRequest(context, continuation));
            return Requests.Count - 1;
        }
    }
}
