using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers.Mlp;

/// A fitted perceptron: scores through its saved transforms (<see cref="MlpMapping"/>) and keeps the network for ONNX
/// export. It saves as those transforms, so model.zip loads back as plain ML.NET transformers.
internal sealed class MlpModel : ITransformer
{
    private readonly ITransformer _mapping;

    public MlpModel(MlpNetwork network, ITransformer mapping)
    {
        Network = network;
        _mapping = mapping;
    }

    public MlpNetwork Network { get; }

    public bool IsRowToRowMapper => _mapping.IsRowToRowMapper;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _mapping.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _mapping.GetRowToRowMapper(inputSchema);

    public IDataView Transform(IDataView input) => _mapping.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) => _mapping.Save(ctx);
}
