using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers;

/// One of the catalog's own networks (the perceptron, the attention network): class probabilities of one row of features.
internal interface IClassNetwork
{
    float[] Probabilities(ReadOnlySpan<float> features);
}

/// A fitted network. It scores with the network in memory and saves as its mapping's transforms (MlpMapping,
/// AttentionMapping), which compute the same numbers from the weights stored in model.zip (a test holds the two equal),
/// so model.zip loads back as plain ML.NET transformers. Keeps the network for ONNX export.
internal sealed class NetworkModel<TNetwork> : ITransformer
    where TNetwork : IClassNetwork
{
    private readonly ITransformer _scorer;
    private readonly ITransformer _saved;

    /// <paramref name="input"/> is any view with the Features column; <paramref name="saved"/> the network's mapping
    /// fitted on it.
    public NetworkModel(MLContext ml, IDataView input, TNetwork network, ITransformer saved)
    {
        Network = network;
        _scorer = NetworkScoring.InMemory(ml, input, network);
        _saved = saved;
    }

    public TNetwork Network { get; }

    public bool IsRowToRowMapper => _scorer.IsRowToRowMapper;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scorer.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scorer.GetRowToRowMapper(inputSchema);

    public IDataView Transform(IDataView input) => _scorer.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) => _saved.Save(ctx);
}

/// The rows a network's transforms read and write, and its scoring from memory.
internal static class NetworkScoring
{
    /// Scores with the network held in memory: the same numbers as the saved mapping without copying the weights into
    /// every row, for scoring inside a training session. Not saveable.
    public static ITransformer InMemory(MLContext ml, IDataView features, IClassNetwork network) =>
        ml.Transforms.CustomMapping<FeaturesOnly, Scores>((input, output) => output.Score = network.Probabilities(input.Features), contractName: null)
            .Fit(features);

    public sealed class FeaturesOnly
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class Scores
    {
        public float[] Score { get; set; } = [];
    }
}
