using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers.Attention;

/// A fitted attention network. It scores with the network in memory and saves as the transforms of
/// <see cref="AttentionMapping"/>, which compute the same numbers from the weights stored in model.zip (a test holds the
/// two equal), so model.zip loads back as plain ML.NET transformers. Keeps the network for ONNX export.
internal sealed class AttentionModel : ITransformer
{
    private readonly ITransformer _scorer;
    private readonly ITransformer _saved;

    public AttentionModel(AttentionNetwork network, ITransformer scorer, ITransformer saved)
    {
        Network = network;
        _scorer = scorer;
        _saved = saved;
    }

    public AttentionNetwork Network { get; }

    public bool IsRowToRowMapper => _scorer.IsRowToRowMapper;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scorer.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scorer.GetRowToRowMapper(inputSchema);

    public IDataView Transform(IDataView input) => _scorer.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) => _saved.Save(ctx);
}
