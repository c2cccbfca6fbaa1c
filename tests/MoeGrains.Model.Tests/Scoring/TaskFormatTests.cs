using MoeGrains.Model.Data;
using MoeGrains.Model.Scoring;
using MoeGrains.Model.Scoring.Tasks;

namespace MoeGrains.Model.Tests.Scoring;

public sealed class TaskFormatTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("moe-tasks-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(params string[] lines)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Copa_drops_the_final_period_adds_the_connective_and_lowercases_the_alternatives()
    {
        var cause = CopaTaskFormat.Format("My body cast a shadow over the grass.", "cause", "The sun was rising.", "The grass was cut.", 0);
        Assert.Equal("My body cast a shadow over the grass because", cause.Context);
        Assert.Equal([" the sun was rising.", " the grass was cut."], cause.Choices);
        Assert.Equal(" because", cause.DomainPremise);
        Assert.Equal(0, cause.Label);

        var effect = CopaTaskFormat.Format("The woman repaired her faucet.", "effect", "The faucet was leaky.", "The faucet was turned off.");
        Assert.Equal("The woman repaired her faucet so", effect.Context);
        Assert.Equal(" so", effect.DomainPremise);
        Assert.Equal(" the faucet was leaky.", effect.Choices[0]);
        Assert.Null(effect.Label);

        var path = Write(
            """{"premise": "The man broke his toe.", "choice1": "He dropped a hammer on his foot.", "choice2": "He got a hole in his sock.", "question": "cause", "label": 0, "idx": 1}""",
            """{"premise": "I tipped the bottle.", "choice1": "The liquid in the bottle froze.", "choice2": "The liquid in the bottle poured out.", "question": "effect", "label": 1, "idx": 2}""");
        var items = TaskFile.Load(path);
        Assert.Equal(2, items.Count);
        Assert.Equal("The man broke his toe because", items[0].Context);
        Assert.Equal(" he dropped a hammer on his foot.", items[0].Choices[0]);
        Assert.Equal("I tipped the bottle so", items[1].Context);
        Assert.Equal((1, 2), (items[1].Label!.Value, items[1].Line));
    }

    [Fact]
    public void Plain_jsonl_keeps_choices_as_written_with_optional_fields()
    {
        var path = Write(
            """{"context": "2 + 2 =", "choices": [" 4", " 5"], "label": 0, "domain_premise": " =", "domain": "math"}""",
            "",
            """{"context": "The sky is", "choices": [" blue", " green", " loud"]}""");
        var items = TaskFile.Load(path);
        Assert.Equal(new ChoiceItem("2 + 2 =", [" 4", " 5"], 0, " =", "math", 1) with { Choices = items[0].Choices }, items[0]);
        Assert.Equal([" 4", " 5"], items[0].Choices);
        Assert.Equal(3, items[1].Line);
        Assert.Null(items[1].Label);
        Assert.Equal(3, items[1].Choices.Count);
    }

    [Fact]
    public void Classification_fills_the_template_with_each_verbalised_label()
    {
        var path = Write(
            """{"template": "It was {label}.", "verbalizer": {"positive": "great", "negative": "terrible"}}""",
            """{"input": "A gripping, beautiful film.", "label": "positive"}""",
            """{"input": "Two hours I will never get back.", "label": "negative"}""");
        var items = TaskFile.Load(path);
        Assert.Equal(2, items.Count);
        Assert.Equal("A gripping, beautiful film.", items[0].Context);
        Assert.Equal([" It was great.", " It was terrible."], items[0].Choices);
        Assert.Equal((0, 2), (items[0].Label!.Value, items[0].Line));
        Assert.Equal(1, items[1].Label);
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("""{"context": "x"}""", "no choices")]
    [InlineData("""{"context": "x", "choices": []}""", "at least two choices")]
    [InlineData("""{"context": "x", "choices": [" a", " b"], "label": 2}""", "label 2 is out of range for 2 choices")]
    [InlineData("""{"context": "x", "choices": [" a", ""]}""", "empty choice")]
    [InlineData("""{"context": "", "choices": [" a", " b"]}""", "\"context\" is empty")]
    [InlineData("""{"context": "x", "choices": [" a", 3]}""", "must be a string")]
    [InlineData("""{"premise": "p.", "choice1": "a", "choice2": "b", "question": "why", "label": 0}""", "cause\" or \"effect")]
    [InlineData("""{"premise": "p.", "choice1": "a", "choice2": "b", "question": "cause", "label": 2}""", "label 2 is out of range")]
    public void A_bad_second_line_is_refused_naming_the_file_and_line(string badLine, string problem)
    {
        var good = badLine.Contains("premise")
            ? """{"premise": "p.", "choice1": "a", "choice2": "b", "question": "cause", "label": 0}"""
            : """{"context": "ok", "choices": [" a", " b"], "label": 1}""";
        var path = Write(good, badLine);
        var e = Assert.Throws<InvalidDataException>(() => TaskFile.Load(path));
        Assert.Contains($"'{path}', line 2", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Empty_files_classification_errors_and_missing_files_are_refused()
    {
        Assert.Contains("no items", Assert.Throws<InvalidDataException>(() => TaskFile.Load(Write("", "  "))).Message);
        Assert.Throws<FileNotFoundException>(() => TaskFile.Load(Path.Combine(folder, "missing.jsonl")));
        var e = Assert.Throws<InvalidDataException>(() => TaskFile.Load(Write(
            """{"template": "It was {label}.", "verbalizer": {"positive": "great", "negative": "terrible"}}""",
            """{"input": "fine", "label": "neutral"}""")));
        Assert.Contains("line 2", e.Message);
        Assert.Contains("\"neutral\" is not in the verbalizer", e.Message);
        e = Assert.Throws<InvalidDataException>(() => TaskFile.Load(Write("""{"template": "It was good.", "verbalizer": {"a": "x", "b": "y"}}""")));
        Assert.Contains("line 1", e.Message);
        Assert.Contains("{label}", e.Message);
    }

    [Fact]
    public void The_continuation_builder_is_seeded_and_puts_the_true_continuation_at_the_label()
    {
        var corpus = DomainCorpus.Load(TestData.SampleCorpus.Path);
        var options = new ContinuationTaskOptions(ItemsPerDomain: 10, Seed: 4);
        var items = ContinuationTaskBuilder.Build(corpus, CorpusSplit.Test, options);
        Assert.Equal(items, ContinuationTaskBuilder.Build(corpus, CorpusSplit.Test, options), new ItemComparer());
        Assert.Equal(corpus.Domains.Count * 10, items.Count);
        foreach (var item in items)
        {
            Assert.Equal(4, item.Choices.Count);
            Assert.Equal(4, item.Choices.Distinct().Count());
            var document = corpus.Documents(item.Domain!, CorpusSplit.Test).Single(d => d.Contains(item.Context, StringComparison.Ordinal));
            Assert.Contains(item.Context + item.Choices[item.Label!.Value], document, StringComparison.Ordinal);
            Assert.All(item.Choices, c => Assert.True(char.IsWhiteSpace(c[0]), $"choice '{c}' should start with the whitespace before its first word"));
        }

        var path = Path.Combine(folder, "built.jsonl");
        JsonlTaskFormat.Write(path, items);
        Assert.Equal(items, TaskFile.Load(path).Select(i => i with { Line = 0 }).ToList(), new ItemComparer());
    }

    private sealed class ItemComparer : IEqualityComparer<ChoiceItem>
    {
        public bool Equals(ChoiceItem? x, ChoiceItem? y) =>
            x is not null && y is not null && x.Context == y.Context && x.Choices.SequenceEqual(y.Choices) && x.Label == y.Label && x.Domain == y.Domain;

        public int GetHashCode(ChoiceItem obj) => obj.Context.GetHashCode();
    }
}
