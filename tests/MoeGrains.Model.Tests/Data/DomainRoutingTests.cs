using MoeGrains.Model.Data;
using MoeGrains.Model.Inference;
using TorchSharp;

namespace MoeGrains.Model.Tests.Data;

public class DomainRoutingTests
{
    private static readonly ByteTokenizer Tokenizer = new();

    private static TokenizedSplit Split(params string[] domainsInDatasetOrder) =>
        new(CorpusSplit.Valid, Tokenizer, domainsInDatasetOrder.Select((d, i) => new DomainTokenStream(d, i, [.. Tokenizer.Encode($"text of {d}")])));

    private static ModelConfig Named(params string[] domains) =>
        ModelConfig.FromPreset("tiny", GateKind.Domain, Tokenizer.VocabularySize).WithDomains(domains);

    [Fact]
    public void A_model_with_domain_names_routes_each_domain_to_its_expert_whatever_the_datasets_order()
    {
        var config = Named("code", "religion", "speeches");
        Assert.Equal(["code", "religion", "speeches"], config.DomainNames());
        Assert.Equal(3, config.Experts);

        // The same three domains at other positions (a dataset with one more domain sorted before them, filtered to these).
        var shifted = Split("religion", "speeches", "code").ForModel(config);
        var same = Split("code", "religion", "speeches").ForModel(config);
        foreach (var domain in config.DomainNames()!)
            Assert.Equal(same.Stream(domain).DomainId, shifted.Stream(domain).DomainId);
        Assert.Equal([0, 1, 2], new[] { "code", "religion", "speeches" }.Select(d => shifted.Stream(d).DomainId));
        Assert.Equal(same.Stream("code").Tokens.ToArray(), shifted.Stream("code").Tokens.ToArray());
    }

    [Fact]
    public async Task Scoring_a_domain_gate_without_a_domain_is_refused_and_with_one_it_routes()
    {
        using var model = new MoeLanguageModel(Named("code", "religion"));
        var error = Assert.Throws<ArgumentException>(() => LogitsSource.ForModel(model));
        Assert.Contains("The model routes by domain (a domain gate with 2 experts)", error.Message);
        Assert.Contains("--mixture", error.Message);
        using var tokens = torch.tensor(Tokenizer.Encode("text"), torch.int64).unsqueeze(0);
        using var logits = await LogitsSource.ForModel(model, domain: 1).LogitsAsync(tokens);
        Assert.Equal([1L, 4, Tokenizer.VocabularySize], logits.shape);
        using var dense = new MoeLanguageModel(ModelConfig.FromPreset("tiny", GateKind.Dense, Tokenizer.VocabularySize));
        Assert.NotNull(LogitsSource.ForModel(dense));
    }

    [Fact]
    public void A_domain_without_an_expert_is_refused_by_name()
    {
        var config = Named("code", "religion");
        var error = Assert.Throws<ArgumentException>(() => Split("code", "law", "religion").ForModel(config));
        Assert.Contains("domain 'law' has none", error.Message);
        Assert.Contains("code, religion", error.Message);
    }

    [Fact]
    public void A_model_saved_without_names_routes_by_position_and_names_a_domain_beyond_its_experts()
    {
        var config = ModelConfig.FromPreset("tiny", GateKind.Domain, Tokenizer.VocabularySize) with { Experts = 2 };
        Assert.Null(config.DomainNames());
        var split = Split("code", "religion");
        Assert.Same(split, split.ForModel(config));
        var error = Assert.Throws<ArgumentException>(() => Split("code", "religion", "speeches").ForModel(config));
        Assert.Contains("'speeches' is domain 2", error.Message);
        Assert.Contains("no stored domain names", error.Message);
    }

    [Fact]
    public void Other_gates_leave_the_split_alone()
    {
        var split = Split("code", "religion", "speeches");
        Assert.Same(split, split.ForModel(ModelConfig.FromPreset("tiny", GateKind.Switch, Tokenizer.VocabularySize)));
    }

    [Fact]
    public void Domain_names_are_kept_in_the_config_json_and_checked()
    {
        var config = Named("code", "religion");
        var back = ModelConfig.FromJson(config.ToJson());
        Assert.Equal(config, back);
        Assert.Equal(["code", "religion"], back.DomainNames());
        var legacy = config.ToJson().Replace("\"domains\": \"code,religion\"", "\"domains\": null", StringComparison.Ordinal);
        Assert.Null(ModelConfig.FromJson(legacy).DomainNames());

        Assert.Contains("2 domain experts", Assert.Throws<ArgumentException>(() => (config with { Experts = 2, Domains = "a,b,c" }).Validate()).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => Named("code", "code")).Message);
        Assert.Contains("commas", Assert.Throws<ArgumentException>(() => Named("code,x")).Message);
        Assert.Contains("gate is Switch", Assert.Throws<ArgumentException>(() => (config with { Gate = GateKind.Switch }).Validate()).Message);
    }
}
