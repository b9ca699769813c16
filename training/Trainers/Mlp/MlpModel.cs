using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers.Mlp;

/// A fitted perceptron. It scores with the network in memory and saves as the transforms of <see cref="MlpMapping"/>,
/// which compute the same numbers from the weights stored in model.zip (a test holds the two equal), so model.zip loads
/// back as plain ML.NET transformers. Keeps the network for ONNX export.
internal sealed class MlpModel : ITransformer
{
    private readonly ITransformer _scorer;
    private readonly ITransformer _saved;

    public MlpModel(MlpNetwork network, ITransformer scorer, ITransformer saved)
    {
        Network = network;
        _scorer = scorer;
        _saved = saved;
    }

    public MlpNetwork Network { get; }

    public bool IsRowToRowMapper => _scorer.IsRowToRowMapper;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scorer.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scorer.GetRowToRowMapper(inputSchema);

    public IDataView Transform(IDataView input) => _scorer.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) => _saved.Save(ctx);
}
